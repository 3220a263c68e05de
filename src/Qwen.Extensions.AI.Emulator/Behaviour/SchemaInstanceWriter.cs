namespace Qwen.Extensions.AI.Emulator.Behaviour;

/// <summary>Writes a JSON instance of a JSON schema, taking values from the prompt (tool arguments and structured output).</summary>
internal sealed class SchemaInstanceWriter
{
    private const int MaxDepth = 8;

    private readonly JsonElement _root;
    private readonly PromptValues _values;
    private readonly bool _allProperties;
    private readonly Func<string>? _freeText;

    /// <param name="root">The schema (the root for <c>$ref</c>).</param>
    /// <param name="values">Where values come from.</param>
    /// <param name="allProperties">Write optional properties too (structured output); otherwise only required ones and those the prompt names (tool arguments).</param>
    /// <param name="freeText">The plain answer, used for a free-form string wrapped as <c>{"data": ...}</c> (MEAI's wrapper for non-object results).</param>
    public SchemaInstanceWriter(JsonElement root, PromptValues values, bool allProperties, Func<string>? freeText = null)
    {
        _root = root;
        _values = values;
        _allProperties = allProperties;
        _freeText = freeText;
    }

    public string Write()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, _root, "value", 0, topLevel: true);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteValue(Utf8JsonWriter writer, JsonElement schema, string name, int depth, bool topLevel = false)
    {
        schema = Resolve(schema);
        if (depth > MaxDepth || schema.ValueKind != JsonValueKind.Object)
        {
            if (topLevel)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNullValue();
            }

            return;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            constant.WriteTo(writer);
            return;
        }

        if (schema.TryGetProperty("enum", out var enumValues) && enumValues.ValueKind == JsonValueKind.Array && enumValues.GetArrayLength() > 0)
        {
            PickEnum(enumValues).WriteTo(writer);
            return;
        }

        foreach (var combinator in (string[])["anyOf", "oneOf", "allOf"])
        {
            if (schema.TryGetProperty(combinator, out var options) && options.ValueKind == JsonValueKind.Array)
            {
                var chosen = options.EnumerateArray().Select(Resolve).FirstOrDefault(o => TypeOf(o) != "null");
                if (chosen.ValueKind == JsonValueKind.Object)
                {
                    WriteValue(writer, chosen, name, depth + 1, topLevel);
                    return;
                }
            }
        }

        switch (TypeOf(schema))
        {
            case "object":
                WriteObject(writer, schema, depth);
                break;
            case "array":
                WriteArray(writer, schema, name, depth);
                break;
            case "integer":
                writer.WriteNumberValue((long)Math.Round(Clamp(schema, _values.NextNumber(name, _allProperties))));
                break;
            case "number":
                writer.WriteNumberValue(Clamp(schema, _values.NextNumber(name, _allProperties)));
                break;
            case "boolean":
                writer.WriteBooleanValue(!_values.IsNegative);
                break;
            case "null":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(StringFor(schema, name));
                break;
        }
    }

    private void WriteObject(Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        writer.WriteStartObject();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
                ? r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToHashSet(StringComparer.Ordinal)
                : [];
            foreach (var property in properties.EnumerateObject())
            {
                if (_allProperties || required.Contains(property.Name) || _values.Mentions(property.Name) || UnusedNumberFits(property.Value))
                {
                    writer.WritePropertyName(property.Name);
                    WriteValue(writer, property.Value, property.Name, depth + 1);
                }
            }
        }

        writer.WriteEndObject();
    }

    private void WriteArray(Utf8JsonWriter writer, JsonElement schema, string name, int depth)
    {
        var items = schema.TryGetProperty("items", out var i) ? Resolve(i) : default;
        var minItems = schema.TryGetProperty("minItems", out var min) && min.TryGetInt32(out var mi) ? mi : 0;
        var maxItems = schema.TryGetProperty("maxItems", out var max) && max.TryGetInt32(out var ma) ? ma : int.MaxValue;
        writer.WriteStartArray();
        var type = items.ValueKind == JsonValueKind.Object ? TypeOf(items) : "string";
        var isEnum = items.ValueKind == JsonValueKind.Object && items.TryGetProperty("enum", out _);
        List<Action> writes = [];
        if (type is "integer" or "number" && !isEnum)
        {
            IEnumerable<double> numbers = _values.Numbers.Count > 0 ? _values.Numbers : [1, 2, 3];
            writes.AddRange(numbers.Select(n => (Action)(() =>
            {
                if (type == "integer")
                {
                    writer.WriteNumberValue((long)Math.Round(n));
                }
                else
                {
                    writer.WriteNumberValue(n);
                }
            })));
        }
        else if (type == "string" && !isEnum && items.ValueKind == JsonValueKind.Object && !items.TryGetProperty("format", out _) && !items.TryGetProperty("pattern", out _))
        {
            IEnumerable<string> strings = _values.ListItems.Count > 1 ? _values.ListItems
                : _values.QuotedTexts.Count > 0 ? _values.QuotedTexts
                : _values.ProperNouns.Count > 0 ? _values.ProperNouns
                : _values.Words.Count > 0 ? _values.Words.Take(3) : ["item"];
            writes.AddRange(strings.Select(s => (Action)(() => writer.WriteStringValue(s))));
        }
        else
        {
            var count = Math.Clamp(_values.ProperNouns.Count, 1, 3);
            for (var n = 0; n < count; n++)
            {
                writes.Add(() => WriteValue(writer, items, name, depth + 1));
            }
        }

        var total = Math.Clamp(writes.Count, minItems, maxItems);
        for (var n = 0; n < total; n++)
        {
            writes[Math.Min(n, writes.Count - 1)]();
        }

        writer.WriteEndArray();
    }

    /// <summary>An optional numeric parameter takes a number of the prompt that no earlier parameter used ("John aged 19" → age 19).</summary>
    private bool UnusedNumberFits(JsonElement schema)
    {
        schema = Resolve(schema);
        return TypeOf(schema) is "integer" or "number" && !schema.TryGetProperty("enum", out _) && _values.NumbersUsed < _values.Numbers.Count;
    }

    private string StringFor(JsonElement schema, string name)
    {
        var format = RequestFacts.Str(schema, "format");
        var pattern = RequestFacts.Str(schema, "pattern");
        string value = format switch
        {
            "date-time" => "2025-01-01T12:00:00Z",
            "date" => "2025-01-01",
            "time" => "12:00:00",
            "uuid" => "0f8fad5b-d9cb-469f-a165-70867728950e",
            "uri" or "url" => FirstUrl() ?? "https://example.com/",
            "email" => FirstEmail() ?? "user@example.com",
            _ when pattern is not null && pattern.Contains(@"\d{2}:\d{2}:\d{2}", StringComparison.Ordinal) => "01:00:00",
            _ when name == "data" && _freeText is not null => _freeText(),
            _ => _values.NextString(name),
        };
        var maxLength = schema.TryGetProperty("maxLength", out var ml) && ml.TryGetInt32(out var m) ? m : int.MaxValue;
        var minLength = schema.TryGetProperty("minLength", out var mn) && mn.TryGetInt32(out var n) ? n : 0;
        if (value.Length > maxLength)
        {
            value = value[..maxLength];
        }

        return value.PadRight(minLength, 'x');
    }

    private JsonElement PickEnum(JsonElement values)
    {
        foreach (var value in values.EnumerateArray())
        {
            if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s
                && System.Text.RegularExpressions.Regex.IsMatch(_values.Prompt, @"\b" + System.Text.RegularExpressions.Regex.Escape(s) + @"\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)))
            {
                return value;
            }
        }

        return values.EnumerateArray().FirstOrDefault(v => v.ValueKind != JsonValueKind.Null);
    }

    private static double Clamp(JsonElement schema, double value)
    {
        if (schema.TryGetProperty("minimum", out var min) && min.ValueKind == JsonValueKind.Number && value < min.GetDouble())
        {
            value = min.GetDouble();
        }

        if (schema.TryGetProperty("maximum", out var max) && max.ValueKind == JsonValueKind.Number && value > max.GetDouble())
        {
            value = max.GetDouble();
        }

        return value;
    }

    private string? FirstUrl() => System.Text.RegularExpressions.Regex.Match(_values.Prompt, @"https?://\S+[^\s.,;!?)]", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } m ? m.Value : null;

    private string? FirstEmail() => System.Text.RegularExpressions.Regex.Match(_values.Prompt, @"[\w.+-]+@[\w-]+\.[\w.]+", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } m ? m.Value : null;

    private static string TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "string";
        }

        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                return type.GetString() ?? "string";
            }

            if (type.ValueKind == JsonValueKind.Array)
            {
                var types = type.EnumerateArray().Select(t => t.GetString()).ToList();
                return types.FirstOrDefault(t => t != "null") ?? "null";
            }
        }

        return schema.TryGetProperty("properties", out _) ? "object" : schema.TryGetProperty("items", out _) ? "array" : "string";
    }

    private JsonElement Resolve(JsonElement schema)
    {
        for (var hops = 0; hops < MaxDepth && schema.ValueKind == JsonValueKind.Object && RequestFacts.Str(schema, "$ref") is { } reference; hops++)
        {
            if (!reference.StartsWith('#'))
            {
                break;
            }

            var target = _root;
            foreach (var segment in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty(key, out var next))
                {
                    target = next;
                }
                else if (target.ValueKind == JsonValueKind.Array && int.TryParse(key, out var index) && index < target.GetArrayLength())
                {
                    target = target[index];
                }
                else
                {
                    return default;
                }
            }

            schema = target;
        }

        return schema;
    }
}
