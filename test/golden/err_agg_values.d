/* An aggregation is not a value: only printa(), clear(), trunc(), normalize() and denormalize() take one. */
fn:app:add:entry { @a = count(); x = @a + 3; trace(@a); }
fn:app:add:entry /@a > 1/ { y[@a] = 1; printf("%d\n", @a); exit(@a); }
