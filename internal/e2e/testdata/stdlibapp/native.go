//go:build !wasip1

package main

import "fmt"

func main() { fmt.Print(report()) }
