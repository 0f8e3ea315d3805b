module oldgo

go 1.22
