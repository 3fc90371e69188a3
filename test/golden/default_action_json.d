// json
fn:app:greet:entry
