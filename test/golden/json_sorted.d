// json
// Rows come sorted as the text output prints them: by value ascending, ties by key, both
// at exit and in printa(), whatever order the tuples were first recorded in.
fn:app:greet:entry { @g[arg0] = count(); }
fn:app:add:entry { @neg[arg0] = sum(-arg1); }
fn:app:*:entry { @f[probefunc] = count(); }
END { printa(@f); }
