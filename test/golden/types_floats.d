// quiet
BEGIN
{
	pi = 3.14159;
	r = 2.0;
	area = pi * r * r;
	printf("%f %.2f %e %g\n", pi, area, area, area);
	printf("%g %g %g\n", 1e10, .5, 1.0 / 3);
	x = 7 / 2.0;
	printf("%.1f %d\n", x, (int)x);
	f = (float)0.1;
	printf("%.10f %.10f\n", f, 0.1);
	printf("%d\n", 2.5 > 2);
	exit(0);
}
