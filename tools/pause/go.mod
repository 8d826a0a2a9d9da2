module kmesos.io/tools/pause

go 1.26.0
