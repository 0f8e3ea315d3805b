module example.com/lifecycle-examples

go 1.26
