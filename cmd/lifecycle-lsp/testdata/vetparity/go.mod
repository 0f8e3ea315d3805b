module example.com/vetparity

go 1.22
