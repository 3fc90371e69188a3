// args: ["42", "world", "0x10", "-3", "greet", "010"]
// $N is an integer when its argument reads as one, else a string; $$N is always a string;
// $0 is the script's name, $# the number of arguments; descriptions take them too.
BEGIN {
  printf("%d %s %d %d %d\n", $1 + 1, $2, $3, $4, $6);
  printf("%s %s %s %d\n", $$1, $$3, $0, $#);
}
fn:app:$5:entry /arg0 == $$2/ { @[probefunc, $$5] = count(); }
