/*
 * DTrace's dt_node_decl refuses an associative array declared as a clause-local
 * (D_DECL_LOCASSC, "associative arrays may not be declared as local variables"), at the
 * declaration; a fixed-size this-> array is accepted.
 */
this int ok[2];
this int counts[int];
this string names[string, int];
BEGIN { this->ok[1] = 1; }
