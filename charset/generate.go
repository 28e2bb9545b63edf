package charset

//go:generate go run ./internal/gentables -o tables.go
