package charset

//go:generate go run gen_tables.go -o tables.go
