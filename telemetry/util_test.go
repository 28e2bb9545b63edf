package telemetry_test

import (
	"slices"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

type sdkSpan = tracetest.SpanStub

func contains(s []string, v string) bool { return slices.Contains(s, v) }

func attributeKey(k string) attribute.Key { return attribute.Key(k) }
