/* Aggregating a string is refused at the argument. */
fn:app:greet:entry { @a = sum("x"); s = "y"; @b = max(s); @c = quantize(arg0 == 1 ? "a" : "b"); @d = avg(probefunc); }
