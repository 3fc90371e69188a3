/*
 * trace() prints an integer record by its size, as DTrace's dt_consume_cpu does: " %3d" of a
 * uint8_t and " %5d" of a uint16_t (a char or short reads back unsigned: (char)-1 is 255,
 * (short)-1 is 65535), " %8d" of a uint32_t (a 4-byte value reads back as int: (uint32_t)-1
 * is -1) and " %16lld" of 8 bytes (a 64-bit value reads back as long long). Each clause
 * traces -1, the type's minimum and its maximum.
 */
BEGIN { trace((char)-1); trace((char)-128); trace((char)127); }
BEGIN { trace((unsigned char)-1); trace((unsigned char)0); trace((unsigned char)255); }
BEGIN { trace((short)-1); trace((short)-32768); trace((short)32767); }
BEGIN { trace((unsigned short)-1); trace((unsigned short)0); trace((unsigned short)65535); }
BEGIN { trace((int)-1); trace((int)-2147483648); trace((int)2147483647); }
BEGIN { trace((unsigned int)-1); trace((unsigned int)0); trace((unsigned int)4294967295); }
BEGIN { trace((long)-1); trace((long)-9223372036854775808); trace((long)9223372036854775807); }
BEGIN { trace((unsigned long)-1); trace((unsigned long)0); trace((unsigned long)18446744073709551615); }
BEGIN { trace((int8_t)-1); trace((uint16_t)-1); trace((uint32_t)-1); trace((uint64_t)-1); }
BEGIN { exit(0); }
