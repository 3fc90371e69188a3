BEGIN { strlen("a", "b"); substr("x"); exit(); trace(); }
