/* A stable provider passes one record as args[0]; the catalogue knows its fields. */
http:::request-done { @a[args[0].urll] = count(); }
fs:::op-done /args[1] == 0/ { @b[args[0].path] = count(); }
http:::request-done, net:::close { @c[args[0].remote_address, arg0.method] = count(); }
dns:::lookup-done { @d[arg1, args[0].hostname] = count(); }
fn:app:add:entry { @e[args[1], arg1, args[0].anything] = count(); }
http*:::request-done { @f[args[0].whatever] = count(); }
