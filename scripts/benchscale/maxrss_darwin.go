package main

// maxrssUnit converts getrusage's ru_maxrss to bytes: macOS reports bytes.
const maxrssUnit = 1
