// json
fn:app:greet:entry { trace(arg0); }
END { @n = count(); printa(@n); }
