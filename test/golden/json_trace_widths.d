// json
/*
 * A trace() record and an aggregation key are bytes and a size, not a type: DTrace's consumer
 * (dt_consume.c, dt_consume_cpu and dt_print_datum) prints them by size, `%d` of a uint8_t or
 * uint16_t, of a uint32_t as int, `%lld` of 8 bytes, so `-f json` shows the numbers the text
 * output prints: (short)-1 is 65535, (char)-1 255, (uint32_t)-1 -1.
 */
BEGIN
{
	trace((short)-1);
	trace((char)-1);
	trace((uint32_t)-1);
	trace((uint64_t)-1);
	trace((unsigned char)200);
	trace(3.5);
	@[(short)-1, (uint32_t)4294967295] = count();
	exit(0);
}
