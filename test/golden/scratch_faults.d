/* each is a run-time fault, reported as DTrace reports invalid addresses, never a crash */
BEGIN { kept = alloca(8); tracemem(NULL, 4); }
BEGIN { tracemem(kept, 4); }
BEGIN { this->p = alloca(4); bcopy("abcdefgh", this->p, 8); }
BEGIN { this->c = (char *)alloca(4); bcopy("abcd", this->c + 4, 4); }
BEGIN { bcopy("abcd", 4096, 4); }
BEGIN { this->p = alloca(65537); }
BEGIN { s = "abc"; c = s[-1]; }
BEGIN { printf("%s\n", inet_ntop(3, "abcd")); }
ERROR { printf("ERROR: %s (%s)\n", arg4, arg5); }
BEGIN { exit(0); }
