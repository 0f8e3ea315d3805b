// Package sariftest validates SARIF logs against the SARIF 2.1.0 JSON schema
// in tests (the schema file is vendored in cmd/lifecycle-lsp/report/testdata).
package sariftest

import (
	"bytes"
	"fmt"
	"os"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Validate compiles the schema at schemaPath, with format assertions on,
// and validates log against it.
func Validate(schemaPath string, log []byte) error {
	f, err := os.Open(schemaPath)
	if err != nil {
		return fmt.Errorf("opening the SARIF schema: %w", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return fmt.Errorf("reading the SARIF schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "file:///sarif-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		return fmt.Errorf("loading the SARIF schema: %w", err)
	}
	schema, err := c.Compile(url)
	if err != nil {
		return fmt.Errorf("compiling the SARIF schema: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
	if err != nil {
		return fmt.Errorf("the log is not JSON: %w", err)
	}
	if err := schema.Validate(inst); err != nil {
		return fmt.Errorf("the log does not follow the SARIF 2.1.0 schema: %w", err)
	}
	return nil
}
