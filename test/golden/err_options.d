#pragma D option quite
#pragma D option nspec=lots
#pragma D frobnicate
BEGIN { setopt("aggsortkye"); }
