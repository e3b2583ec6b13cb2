# lockbench — see README.md.
GO ?= go

.PHONY: test lint

# test: vet, then every test with the race detector on.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# lint: formatting and vet.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
