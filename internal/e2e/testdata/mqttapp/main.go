//go:build wasip1

// Command mqttapp publishes MQTT messages from HTTP requests.
package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/mqtt"
)

func main() {}

func init() {
	spinhttp.HandleFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		address := os.Getenv("MQTT_URL")
		if q.Has("address") {
			address = q.Get("address")
		}
		conn, err := mqtt.Open(address, "", "", 30*time.Second)
		if err != nil {
			http.Error(w, fmt.Sprintf("invalid=%v %v", errors.Is(err, mqtt.ErrInvalidAddress), err), http.StatusBadGateway)
			return
		}
		defer conn.Close()
		qos, _ := strconv.Atoi(q.Get("qos"))
		if err := conn.Publish(q.Get("topic"), []byte(q.Get("message")), mqtt.QoS(qos)); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, "published with %v", mqtt.QoS(qos))
	})
}
