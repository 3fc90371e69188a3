BEGIN { x = $tagret; y = $cwd + 1; }
