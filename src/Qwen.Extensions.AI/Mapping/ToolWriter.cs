namespace Qwen.Extensions.AI.Mapping;

/// <summary>Writes <c>tools</c>, <c>tool_choice</c>, <c>parallel_tool_calls</c> and the hosted tools' switches.</summary>
internal static class ToolWriter
{
    private const int MaxToolNameLength = 64;

    public static void Write(Utf8JsonWriter writer, ChatOptions options, IReadOnlyDictionary<string, object?>? extras)
    {
        var functions = 0;
        var search = false;
        var codeInterpreter = false;
        if (options.Tools is { Count: > 0 } tools)
        {
            HashSet<string>? names = null;
            for (var i = 0; i < tools.Count; i++)
            {
                switch (tools[i])
                {
                    case AIFunctionDeclaration function:
                        ValidateName(function.Name, i);
                        if (!(names ??= new(StringComparer.Ordinal)).Add(function.Name))
                        {
                            throw new ArgumentException($"ChatOptions.Tools has two functions named '{function.Name}'; tool names must be unique.", nameof(options));
                        }

                        if (functions++ == 0)
                        {
                            writer.WriteStartArray(Wire.ChatParameters.Tools.EncodedName);
                        }

                        WriteFunction(writer, function, extras);
                        break;
                    case HostedWebSearchTool:
                        search = true;
                        break;
                    case HostedCodeInterpreterTool:
                        codeInterpreter = true;
                        break;
                    case null:
                        throw new ArgumentException($"ChatOptions.Tools[{i}] is null.", nameof(options));
                    default:
                        throw new NotSupportedException(
                            $"ChatOptions.Tools[{i}] is a {tools[i].GetType().Name}, which Qwen compatible mode does not offer. " +
                            "Supported: AIFunction/AIFunctionDeclaration, HostedWebSearchTool (enable_search), HostedCodeInterpreterTool (enable_code_interpreter).");
                }
            }

            if (functions > 0)
            {
                writer.WriteEndArray();
            }
        }

        if (search && !ExtraParameters.Has(extras, Wire.ChatParameters.EnableSearch.Name))
        {
            writer.WriteBoolean(Wire.ChatParameters.EnableSearch.EncodedName, true);
        }

        if (codeInterpreter && !ExtraParameters.Has(extras, Wire.ChatParameters.EnableCodeInterpreter.Name))
        {
            writer.WriteBoolean(Wire.ChatParameters.EnableCodeInterpreter.EncodedName, true);
        }

        if (functions > 0 && options.ToolMode is { } mode && !ExtraParameters.Has(extras, Wire.ChatParameters.ToolChoice.Name))
        {
            WriteToolChoice(writer, mode, options.Tools!);
        }

        // Like tool_choice, parallel_tool_calls means something only with function tools to call.
        if (functions > 0 && options.AllowMultipleToolCalls is { } parallel && !ExtraParameters.Has(extras, Wire.ChatParameters.ParallelToolCalls.Name))
        {
            writer.WriteBoolean(Wire.ChatParameters.ParallelToolCalls.EncodedName, parallel);
        }
    }

    /// <summary>
    /// The explicit strictness asked for in <paramref name="properties"/> under <c>strictJsonSchema</c> (MEAI's OpenAI client's key),
    /// or <see langword="null"/> when it is not set: then no <c>strict</c> is sent.
    /// </summary>
    internal static bool? ReadStrict(IReadOnlyDictionary<string, object?>? properties) =>
        properties is not null && properties.TryGetValue(Wire.ChatParameters.StrictJsonSchemaSetting, out var value) && value is not null
            ? LooseValue.TryGetBoolean(value, out var strict)
                ? strict
                : throw new ArgumentException($"AdditionalProperties[\"{Wire.ChatParameters.StrictJsonSchemaSetting}\"] must be true or false; got a {value.GetType().Name}.", "options")
            : null;

    private static void WriteFunction(Utf8JsonWriter writer, AIFunctionDeclaration function, IReadOnlyDictionary<string, object?>? extras)
    {
        writer.WriteStartObject();
        writer.WriteString(Wire.ChatParameters.Fields.Type, Wire.ChatParameters.Values.Function);
        writer.WriteStartObject(Wire.ChatParameters.Fields.Function);
        writer.WriteString(Wire.ChatParameters.Fields.Name, function.Name);
        if (!string.IsNullOrEmpty(function.Description))
        {
            writer.WriteString(Wire.ChatParameters.Fields.Description, function.Description);
        }

        writer.WritePropertyName(Wire.ChatParameters.Fields.Parameters);
        var schema = function.JsonSchema;
        if (schema.ValueKind == JsonValueKind.Object)
        {
            schema.WriteTo(writer);
        }
        else
        {
            // A function without a schema takes no parameters.
            writer.WriteStartObject();
            writer.WriteString(Wire.ChatParameters.Fields.Type, Wire.ChatParameters.Values.Object);
            writer.WriteStartObject(Wire.ChatParameters.Fields.Properties);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        // DashScope does not document strict on functions: it is sent only when asked for, on the function or on ChatOptions.
        if ((ReadStrict(function.AdditionalProperties) ?? ReadStrict(extras)) is { } strict)
        {
            writer.WriteBoolean(Wire.ChatParameters.Fields.Strict, strict);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatToolMode mode, IList<AITool> tools)
    {
        switch (mode)
        {
            case NoneChatToolMode:
                writer.WriteString(Wire.ChatParameters.ToolChoice.EncodedName, Wire.ChatParameters.Values.None);
                break;
            case AutoChatToolMode:
                writer.WriteString(Wire.ChatParameters.ToolChoice.EncodedName, Wire.ChatParameters.Values.Auto);
                break;
            case RequiredChatToolMode { RequiredFunctionName: null }:
                writer.WriteString(Wire.ChatParameters.ToolChoice.EncodedName, Wire.ChatParameters.Values.Required);
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                var found = false;
                foreach (var tool in tools)
                {
                    if (tool is AIFunctionDeclaration f && f.Name == name)
                    {
                        found = true;
                        break;
                    }
                }

                if (!found)
                {
                    throw new ArgumentException($"ChatOptions.ToolMode requires the function '{name}', which is not among ChatOptions.Tools.", "options");
                }

                writer.WriteStartObject(Wire.ChatParameters.ToolChoice.EncodedName);
                writer.WriteString(Wire.ChatParameters.Fields.Type, Wire.ChatParameters.Values.Function);
                writer.WriteStartObject(Wire.ChatParameters.Fields.Function);
                writer.WriteString(Wire.ChatParameters.Fields.Name, name);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            default:
                throw new NotSupportedException($"ChatOptions.ToolMode of type {mode.GetType().Name} is not supported.");
        }
    }

    private static void ValidateName(string? name, int index)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxToolNameLength)
        {
            throw new ArgumentException($"ChatOptions.Tools[{index}] has the name '{name}'; a tool name must be 1 to {MaxToolNameLength} characters of letters, digits, '_' and '-'.", "options");
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new ArgumentException($"ChatOptions.Tools[{index}] has the name '{name}' with the character '{c}'; a tool name must be 1 to {MaxToolNameLength} characters of letters, digits, '_' and '-'.", "options");
            }
        }
    }
}
