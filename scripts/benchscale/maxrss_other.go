//go:build unix && !darwin

package main

// maxrssUnit converts getrusage's ru_maxrss to bytes: Linux and the BSDs
// report kilobytes.
const maxrssUnit = 1024
