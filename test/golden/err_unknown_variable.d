fn:::entry { @[probefnc] = count(); x = timestam; }
