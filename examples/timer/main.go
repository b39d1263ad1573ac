//go:build wasip1

// Command timer is a component for a custom timer trigger: it logs each
// tick through its host import and answers with what it handled.
package main

import (
	"strings"

	timer "example.com/timer/exports/spin_go_timer_timer_0_1_0/export_spin_go_timer_timer_0_1_0"
	_ "example.com/timer/exports/spin_go_timer_timer_0_1_0/wit_exports"
	host "example.com/timer/imports/spin_go_timer_timer_0_1_0"
)

func init() {
	timer.Exports.HandleTimerRequest = func(msg string) string {
		host.Log("tick " + msg)
		return "handled " + strings.ToUpper(msg)
	}
}

func main() {}
