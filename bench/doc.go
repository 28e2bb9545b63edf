// Package bench compares relay with bare net/http and with other libraries,
// side by side in the same run. It is a module of its own so that the
// libraries it measures against never become dependencies of relay.
package bench
