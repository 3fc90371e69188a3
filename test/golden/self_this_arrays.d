// quiet
/*
 * `self->` and `this->` variables declared as arrays, as DTrace accepts them (dt_node_decl
 * refuses only an associative array declared as a clause-local, D4117 here): elements read
 * as 0 until written, a self-> array keeps its elements across clauses and firings of its
 * thread, a this-> array lives for the firing, a whole array copies, and an element's
 * address is into the variable's own bytes. An index out of range is a fault.
 */
self int sums[3];
self uint8_t small[2];
this int tmp[3];
this short pair[2];
self int copy[3];

fn:app:add:entry
{
	self->sums[arg0 % 3] += arg0;
	this->tmp[0] = arg0;
	this->tmp[1] = arg1;
	this->tmp[2] = this->tmp[0] + this->tmp[1];
}

fn:app:add:entry
/arg0 == 9/
{
	printf("this->tmp %d %d %d, sizeof %d\n", this->tmp[0], this->tmp[1], this->tmp[2], sizeof (this->tmp));
	printf("self->sums %d %d %d, sizeof %d\n", self->sums[0], self->sums[1], self->sums[2], sizeof (self->sums));
	self->copy = self->sums;
	self->copy[0] = -1;
	printf("self->copy %d %d %d, self->sums[0] %d\n", self->copy[0], self->copy[1], self->copy[2], self->sums[0]);
}

END
{
	self->small[0] = 255;
	self->small[0]++;
	self->small[1] = 300;
	printf("self->small %d %d\n", self->small[0], self->small[1]);

	this->pair[1] = -2;
	this->sp = &this->pair[1];
	*this->sp *= 3;
	this->sp[-1] = 7;
	printf("this->pair %d %d, %d apart\n", this->pair[0], this->pair[1], &this->pair[1] - &this->pair[0]);

	i = 3;
	self->sums[i] = 1;
}

ERROR
{
	printf("ERROR %s\n", arg5);
}
