// args: ["1"]
BEGIN { printf("%d %d\n", $1, $2); }
fn:app:$$3:entry { @ = count(); }
