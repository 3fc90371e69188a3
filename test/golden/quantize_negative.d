fn:app:add:entry { @ = quantize(arg0 - 5); }
