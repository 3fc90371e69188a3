// quiet
/* Bit-fields read and written through a pointer to scratch memory, in C's layout. */
struct flags { unsigned int a : 3; int b : 4; unsigned int c : 25; unsigned long big : 40; };

BEGIN
{
	this->f = (struct flags *)alloca(sizeof (struct flags));
	this->f->a = 9;
	this->f->b = 9;
	this->f->c = 0x1ffffff;
	this->f->big = 0xffffffffff;
	this->f->a++;
	x = (this->f->b -= 1);
	printf("%d %d %d %d %d %d\n", this->f->a, this->f->b, x, this->f->c, this->f->big, sizeof (struct flags));
	this->u = (unsigned int *)this->f;
	printf("%x\n", *this->u);
	this->f->b = 0;
	printf("%x\n", *this->u);
	exit(0);
}
