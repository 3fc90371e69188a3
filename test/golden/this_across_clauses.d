// quiet
fn:app:add:entry { this->double = arg0 * 2; }
fn:app:add:entry /this->double > 14/ { printf("%d doubled is %d\n", arg0, this->double); }
fn:app:greet:entry { printf("fresh this-> per firing: %d\n", this->double); }
