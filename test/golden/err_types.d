BEGIN { s = "a"; s = 1; x = "a" + 1; y = "a" < 2; z = strlen(5); w = -"s"; }
