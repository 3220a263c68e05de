namespace Qwen.Extensions.AI.Emulator.Responses;

/// <summary>
/// Writes the Responses API's JSON: the response object (§1.7, the field set of the P-DART capture), output items (§1.6), usage (§1.8),
/// the flat error body (§1.10), <c>input_items</c> and delete results (§1.1), and the SSE events and framing of §1.9
/// (<c>id:</c>, <c>event:</c> and <c>data:</c> without a space, a <c>:HTTP_STATUS/200</c> comment per event, no <c>[DONE]</c>).
/// </summary>
internal static class ResponsesWriter
{
    /// <summary>Which moment of a response's life an object shows.</summary>
    public enum Phase
    {
        /// <summary><c>response.created</c>: status queued, model "" and no output [doc RE].</summary>
        Created,

        /// <summary><c>response.in_progress</c>.</summary>
        InProgress,

        /// <summary>The final object of a create call (JSON body or terminal event).</summary>
        Final,

        /// <summary>A later GET: as final, but <c>metadata</c> is <c>{}</c> [capture P-OMU].</summary>
        Retrieved,
    }

    /// <summary>Quotes, apostrophes and non-ASCII text as the service sends them (<c>'</c>, not <c>\u0027</c>).</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string TypeName(OutputKind kind) => kind switch
    {
        OutputKind.Message => "message",
        OutputKind.Reasoning => "reasoning",
        OutputKind.FunctionCall => "function_call",
        OutputKind.WebSearchCall => "web_search_call",
        OutputKind.WebExtractorCall => "web_extractor_call",
        OutputKind.CodeInterpreterCall => "code_interpreter_call",
        OutputKind.FileSearchCall => "file_search_call",
        _ => "mcp_call",
    };

    public static byte[] Response(ResponseRecord r, Phase phase) => Write(w => WriteResponse(w, r, phase));

    /// <summary>The flat error body <c>{request_id, code, message}</c> [doc RZ].</summary>
    public static byte[] FlatError(string requestId, string code, string message) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("request_id", requestId);
        w.WriteString("code", code);
        w.WriteString("message", message);
        w.WriteEndObject();
    });

    /// <summary>A failed response in an HTTP 200 body, in the documented rate-limit shape [doc RZ].</summary>
    public static byte[] Failed(string id, long createdAt, string model, string code, string message) => Write(w => WriteFailed(w, id, createdAt, model, code, message));

    public static byte[] Deleted(string id) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteBoolean("deleted", true);
        w.WriteEndObject();
    });

    /// <summary>The <c>InputItemsList</c> [doc RZ]: <c>created_at</c> in milliseconds.</summary>
    public static byte[] InputItems(ResponseRecord r, IReadOnlyList<ContextItem> page, bool hasMore) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("data");
        foreach (var item in page)
        {
            WriteInputItem(w, item);
        }

        w.WriteEndArray();
        WriteNullableString(w, "first_id", page.Count > 0 ? page[0].Id : null);
        WriteNullableString(w, "last_id", page.Count > 0 ? page[^1].Id : null);
        w.WriteBoolean("has_more", hasMore);
        w.WriteString("id", r.Id);
        w.WriteString("model", r.Model);
        w.WriteNumber("created_at", r.CreatedAtMilliseconds);
        WriteNullableString(w, "previous_response_id", r.PreviousResponseId);
        w.WriteString("object", "list");
        w.WriteEndObject();
    });

    /// <summary>One SSE event in the service's framing: <c>id:</c> is the sequence number + 1 [doc RE].</summary>
    public static byte[] Frame(int sequence, string type, byte[] data)
    {
        var head = Encoding.UTF8.GetBytes($"id:{(sequence + 1).ToString(CultureInfo.InvariantCulture)}\nevent:{type}\n:HTTP_STATUS/200\ndata:");
        var frame = new byte[head.Length + data.Length + 2];
        head.CopyTo(frame, 0);
        data.CopyTo(frame, head.Length);
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return frame;
    }

    /// <summary>The <c>response.failed</c> event of a stream that fails before it starts (bad model, rate limit) [capture P-OMU].</summary>
    public static byte[] FailedEvent(int sequence, string id, long createdAt, string model, string code, string message) =>
        Frame(sequence, "response.failed", Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("sequence_number", sequence);
            w.WriteString("type", "response.failed");
            w.WritePropertyName("response");
            WriteFailed(w, id, createdAt, model, code, message);
            w.WriteEndObject();
        }));

    /// <summary>The whole event sequence of a finished response (§1.9), each framed.</summary>
    public static List<byte[]> Events(ResponseRecord r, int wordsPerChunk)
    {
        var events = new List<byte[]>();
        var sequence = 0;
        void Add(string type, Action<Utf8JsonWriter> body)
        {
            var number = sequence++;
            events.Add(Frame(number, type, Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("sequence_number", number);
                w.WriteString("type", type);
                body(w);
                w.WriteEndObject();
            })));
        }

        Add("response.created", w =>
        {
            w.WritePropertyName("response");
            WriteResponse(w, r, Phase.Created);
        });
        Add("response.in_progress", w =>
        {
            w.WritePropertyName("response");
            WriteResponse(w, r, Phase.InProgress);
        });

        for (var index = 0; index < r.Output.Count; index++)
        {
            var item = r.Output[index];
            var outputIndex = index;
            Add("response.output_item.added", w =>
            {
                w.WritePropertyName("item");
                WriteItem(w, item, done: false);
                w.WriteNumber("output_index", outputIndex);
            });

            void Progress(string type) => Add(type, w =>
            {
                w.WriteNumber("output_index", outputIndex);
                w.WriteString("item_id", item.Id);
            });

            switch (item.Kind)
            {
                case OutputKind.Message:
                    Add("response.content_part.added", w =>
                    {
                        w.WriteNumber("content_index", 0);
                        w.WriteString("item_id", item.Id);
                        w.WriteNumber("output_index", outputIndex);
                        w.WritePropertyName("part");
                        WriteTextPart(w, string.Empty);
                    });
                    foreach (var chunk in Chunks(item.Text, wordsPerChunk))
                    {
                        Add("response.output_text.delta", w =>
                        {
                            w.WriteNumber("content_index", 0);
                            w.WriteString("delta", chunk);
                            w.WriteString("item_id", item.Id);
                            w.WriteStartArray("logprobs");
                            w.WriteEndArray();
                            w.WriteNumber("output_index", outputIndex);
                        });
                    }

                    Add("response.output_text.done", w =>
                    {
                        w.WriteNumber("content_index", 0);
                        w.WriteString("item_id", item.Id);
                        w.WriteStartArray("logprobs");
                        w.WriteEndArray();
                        w.WriteNumber("output_index", outputIndex);
                        w.WriteString("text", item.Text);
                    });
                    Add("response.content_part.done", w =>
                    {
                        w.WriteNumber("content_index", 0);
                        w.WriteString("item_id", item.Id);
                        w.WriteNumber("output_index", outputIndex);
                        w.WritePropertyName("part");
                        WriteTextPart(w, item.Text);
                    });
                    break;
                case OutputKind.Reasoning:
                    // The RE examples' variant, marked (emit) in §1.9.
                    foreach (var chunk in Chunks(item.Text, wordsPerChunk))
                    {
                        Add("response.reasoning_summary_text.delta", w =>
                        {
                            w.WriteString("delta", chunk);
                            w.WriteNumber("output_index", outputIndex);
                            w.WriteString("item_id", item.Id);
                            w.WriteNumber("summary_index", 0);
                        });
                    }

                    Add("response.reasoning_summary_text.done", w =>
                    {
                        w.WriteString("text", item.Text);
                        w.WriteNumber("output_index", outputIndex);
                        w.WriteString("item_id", item.Id);
                        w.WriteNumber("summary_index", 0);
                    });
                    break;
                case OutputKind.WebSearchCall:
                    Progress("response.web_search_call.in_progress");
                    Progress("response.web_search_call.searching");
                    Progress("response.web_search_call.completed");
                    break;
                case OutputKind.CodeInterpreterCall:
                    Progress("response.code_interpreter_call.in_progress");
                    Progress("response.code_interpreter_call.interpreting");
                    Progress("response.code_interpreter_call.completed");
                    break;
                case OutputKind.FileSearchCall:
                    Progress("response.file_search_call.in_progress");
                    Progress("response.file_search_call.searching");
                    Progress("response.file_search_call.completed");
                    break;
                case OutputKind.McpCall:
                    Progress("response.mcp_call.in_progress");
                    Add("response.mcp_call_arguments.delta", w =>
                    {
                        w.WriteNumber("output_index", outputIndex);
                        w.WriteString("item_id", item.Id);
                        w.WriteString("delta", item.Arguments ?? "{}");
                    });
                    Add("response.mcp_call_arguments.done", w =>
                    {
                        w.WriteNumber("output_index", outputIndex);
                        w.WriteString("item_id", item.Id);
                        w.WriteString("arguments", item.Arguments ?? "{}");
                    });
                    Progress("response.mcp_call.completed");
                    break;
                default:
                    // function_call and web_extractor_call: only output_item.added/done (§1.9; the argument-delta pair is undocumented).
                    break;
            }

            Add("response.output_item.done", w =>
            {
                w.WritePropertyName("item");
                WriteItem(w, item, done: true);
                w.WriteNumber("output_index", outputIndex);
            });
        }

        var terminal = r.Status switch
        {
            "incomplete" => "response.incomplete",
            "failed" => "response.failed",
            _ => "response.completed",
        };
        Add(terminal, w =>
        {
            w.WritePropertyName("response");
            WriteResponse(w, r, Phase.Final);
        });
        return events;
    }

    /// <summary>Splits text into chunks of <paramref name="words"/> words each, whitespace kept, so the chunks concatenate to the text.</summary>
    public static IEnumerable<string> Chunks(string text, int words)
    {
        if (text.Length == 0)
        {
            yield break;
        }

        words = Math.Max(1, words);
        var start = 0;
        var count = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i - 1]) && !char.IsWhiteSpace(text[i]) && ++count == words)
            {
                yield return text[start..i];
                start = i;
                count = 0;
            }
        }

        yield return text[start..];
    }

    public static void WriteItem(Utf8JsonWriter w, OutputItem item, bool done)
    {
        var status = done ? "completed" : "in_progress";
        w.WriteStartObject();
        w.WriteString("id", item.Id);
        w.WriteString("type", TypeName(item.Kind));
        switch (item.Kind)
        {
            case OutputKind.Message:
                w.WriteString("role", "assistant");
                w.WriteString("status", status);
                w.WriteStartArray("content");
                if (done)
                {
                    WriteTextPart(w, item.Text);
                }

                w.WriteEndArray();
                break;
            case OutputKind.Reasoning:
                // The capture's shape: summary[], content/encrypted_content/status null [capture P-DART].
                w.WriteStartArray("summary");
                if (done)
                {
                    w.WriteStartObject();
                    w.WriteString("text", item.Text);
                    w.WriteString("type", "summary_text");
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteNull("content");
                w.WriteNull("encrypted_content");
                w.WriteNull("status");
                break;
            case OutputKind.FunctionCall:
                w.WriteString("status", status);
                w.WriteString("name", item.Name);
                w.WriteString("arguments", done ? item.Arguments : string.Empty);
                w.WriteString("call_id", item.CallId);
                break;
            case OutputKind.WebSearchCall:
                w.WriteString("status", status);
                w.WriteStartObject("action");
                w.WriteString("type", "search");
                w.WriteString("query", item.Query);
                if (done)
                {
                    // Sources appear only on the done item [doc RE]; probes saw queries[] too [capture P-MAP].
                    w.WriteStartArray("queries");
                    w.WriteStringValue(item.Query);
                    w.WriteEndArray();
                    w.WriteStartArray("sources");
                    foreach (var url in item.Urls)
                    {
                        w.WriteStartObject();
                        w.WriteString("type", "url");
                        w.WriteString("url", url);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
                break;
            case OutputKind.WebExtractorCall:
                w.WriteString("status", status);
                w.WriteStartArray("urls");
                foreach (var url in item.Urls)
                {
                    w.WriteStringValue(url);
                }

                w.WriteEndArray();
                w.WriteString("goal", item.Goal);
                if (done)
                {
                    w.WriteString("output", item.Output);
                }

                break;
            case OutputKind.CodeInterpreterCall:
                // added already has the full code; outputs only on done [capture P-MAP].
                w.WriteString("status", status);
                w.WriteString("code", item.Code);
                w.WriteString("container_id", string.Empty);
                if (done)
                {
                    w.WriteStartArray("outputs");
                    w.WriteStartObject();
                    w.WriteString("type", "logs");
                    w.WriteString("logs", item.Logs);
                    w.WriteEndObject();
                    w.WriteEndArray();
                }

                break;
            case OutputKind.FileSearchCall:
                w.WriteString("status", status);
                w.WriteStartArray("queries");
                w.WriteStringValue(item.Query);
                w.WriteEndArray();
                if (done)
                {
                    w.WriteStartArray("results");
                    foreach (var hit in item.Results)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("score", hit.Score);
                        w.WriteString("filename", hit.FileName);
                        w.WriteString("text", hit.Text);
                        w.WriteString("file_id", hit.FileId);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                break;
            case OutputKind.McpCall:
                w.WriteString("status", status);
                w.WriteString("name", item.Name);
                w.WriteString("server_label", item.ServerLabel);
                w.WriteString("arguments", done ? item.Arguments : string.Empty);
                if (done)
                {
                    w.WriteString("output", item.Output);
                }

                break;
        }

        w.WriteEndObject();
    }

    private static void WriteTextPart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteString("text", text);
        w.WriteString("type", "output_text");
        w.WriteNull("logprobs");
        w.WriteEndObject();
    }

    private static void WriteInputItem(Utf8JsonWriter w, ContextItem item)
    {
        if (item.IsMessage)
        {
            w.WriteStartObject();
            w.WriteString("id", item.Id);
            w.WriteString("role", item.Role);
            w.WriteStartArray("content");
            w.WriteStartObject();
            w.WriteString("type", item.Role == "assistant" ? "output_text" : "input_text");
            w.WriteString("text", item.Text);
            w.WriteEndObject();
            foreach (var image in item.Images)
            {
                w.WriteStartObject();
                w.WriteString("type", "input_image");
                w.WriteString("image_url", image);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("type", "message");
            w.WriteString("status", "completed");
            w.WriteEndObject();
            return;
        }

        // Other input items (function_call, function_call_output, web_search_call echoes) come back as sent, with an id.
        w.WriteStartObject();
        w.WriteString("id", item.Id);
        if (item.Raw is { ValueKind: JsonValueKind.Object } raw)
        {
            foreach (var property in raw.EnumerateObject().Where(p => p.Name != "id"))
            {
                property.WriteTo(w);
            }
        }
        else
        {
            w.WriteString("type", item.Type);
        }

        w.WriteEndObject();
    }

    private static void WriteResponse(Utf8JsonWriter w, ResponseRecord r, Phase phase)
    {
        var request = r.Request;
        var final = phase is Phase.Final or Phase.Retrieved;
        w.WriteStartObject();
        w.WriteString("id", r.Id);
        w.WriteNumber("created_at", r.CreatedAt);
        if (final && r.Status == "failed")
        {
            w.WriteStartObject("error");
            w.WriteString("code", r.ErrorCode ?? "server_error");
            w.WriteString("message", r.ErrorMessage ?? "The response failed.");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("error");
        }

        if (final && r.IncompleteReason is { } reason)
        {
            w.WriteStartObject("incomplete_details");
            w.WriteString("reason", reason);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details");
        }

        Echo(w, request, "instructions");
        if (phase != Phase.Retrieved && request.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            w.WritePropertyName("metadata");
            metadata.WriteTo(w);
        }
        else
        {
            w.WriteStartObject("metadata");
            w.WriteEndObject();
        }

        w.WriteString("model", phase == Phase.Created ? string.Empty : r.Model);
        w.WriteString("object", "response");
        w.WriteStartArray("output");
        if (final)
        {
            foreach (var item in r.Output)
            {
                WriteItem(w, item, done: true);
            }
        }

        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls", request.TryGetProperty("parallel_tool_calls", out var parallel) && parallel.ValueKind == JsonValueKind.True);
        EchoNumber(w, request, "temperature", 1.0);
        w.WriteString("tool_choice", ToolChoiceEcho(request));
        if (request.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            w.WritePropertyName("tools");
            tools.WriteTo(w);
        }
        else
        {
            w.WriteStartArray("tools");
            w.WriteEndArray();
        }

        EchoNumber(w, request, "top_p", 1.0);
        w.WriteBoolean("background", false);
        Echo(w, request, "conversation");
        Echo(w, request, "max_output_tokens");
        w.WriteNull("max_tool_calls");
        Echo(w, request, "previous_response_id");
        w.WriteNull("prompt");
        w.WriteNull("prompt_cache_key");
        w.WriteNull("prompt_cache_retention");
        Echo(w, request, "reasoning");
        w.WriteNull("safety_identifier");
        w.WriteString("service_tier", "default");
        w.WriteString("status", phase switch
        {
            Phase.Created => "queued",
            Phase.InProgress => "in_progress",
            _ => r.Status,
        });
        Echo(w, request, "text");
        w.WriteNumber("top_logprobs", 0);
        w.WriteNull("truncation");
        if (final)
        {
            w.WritePropertyName("usage");
            WriteUsage(w, r.Usage);
        }
        else
        {
            w.WriteNull("usage");
        }

        w.WriteNull("user");
        if (final)
        {
            w.WriteNumber("completed_at", r.CreatedAt + 1);
        }
        else
        {
            w.WriteNull("completed_at");
        }

        w.WriteNumber("frequency_penalty", 0.0);
        w.WriteNumber("presence_penalty", 0.0);
        w.WriteBoolean("store", r.Store);
        w.WriteNull("moderation");
        w.WriteNull("billing");
        w.WriteEndObject();
    }

    /// <summary>The usage object of §1.8: totals, details, <c>x_details[]</c> (with the session cache's creation fields) and <c>x_tools</c>.</summary>
    private static void WriteUsage(Utf8JsonWriter w, ResponseUsage u)
    {
        w.WriteStartObject();
        w.WriteNumber("input_tokens", u.Input);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("cached_tokens", u.Cached);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", u.Output);
        w.WriteStartObject("output_tokens_details");
        w.WriteNumber("reasoning_tokens", u.Reasoning);
        w.WriteEndObject();
        w.WriteNumber("total_tokens", u.Total);
        w.WriteStartArray("x_details");
        w.WriteStartObject();
        w.WriteNumber("input_tokens", u.Input);
        w.WriteNumber("output_tokens", u.Output);
        w.WriteNumber("total_tokens", u.Total);
        w.WriteStartObject("output_tokens_details");
        w.WriteNumber("reasoning_tokens", u.Reasoning);
        w.WriteEndObject();
        w.WriteStartObject("prompt_tokens_details");
        if (u.CacheCreation is { } creation)
        {
            w.WriteStartObject("cache_creation");
            w.WriteNumber("ephemeral_5m_input_tokens", creation);
            w.WriteEndObject();
            w.WriteNumber("cache_creation_input_tokens", creation);
            w.WriteString("cache_type", "ephemeral");
        }

        w.WriteNumber("cached_tokens", u.Cached);
        w.WriteEndObject();
        if (u.Tools.Count > 0)
        {
            w.WritePropertyName("plugins");
            WriteToolCounts(w, u.Tools);
        }

        w.WriteString("x_billing_type", "response_api");
        w.WriteEndObject();
        w.WriteEndArray();
        if (u.Tools.Count > 0)
        {
            w.WritePropertyName("x_tools");
            WriteToolCounts(w, u.Tools);
        }

        w.WriteEndObject();
    }

    private static void WriteToolCounts(Utf8JsonWriter w, IReadOnlyDictionary<string, int> tools)
    {
        w.WriteStartObject();
        foreach (var (name, count) in tools)
        {
            w.WriteStartObject(name);
            w.WriteNumber("count", count);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteFailed(Utf8JsonWriter w, string id, long createdAt, string model, string code, string message)
    {
        // Field order and set of the documented rate-limit body [doc RZ].
        w.WriteStartObject();
        w.WriteNumber("created_at", createdAt);
        w.WriteStartObject("error");
        w.WriteString("code", code);
        w.WriteString("message", message);
        w.WriteEndObject();
        w.WriteString("id", id);
        w.WriteString("model", model);
        w.WriteString("object", "response");
        w.WriteStartArray("output");
        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls", false);
        w.WriteString("status", "failed");
        w.WriteString("tool_choice", "auto");
        w.WriteStartArray("tools");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The response echoes <c>tool_choice</c> as a string [doc RZ]; an <c>allowed_tools</c> object echoes its mode.</summary>
    private static string ToolChoiceEcho(JsonElement request)
    {
        if (!request.TryGetProperty("tool_choice", out var choice))
        {
            return "auto";
        }

        return choice.ValueKind switch
        {
            JsonValueKind.String => choice.GetString() ?? "auto",
            JsonValueKind.Object when choice.TryGetProperty("mode", out var mode) && mode.ValueKind == JsonValueKind.String => mode.GetString() ?? "auto",
            _ => "auto",
        };
    }

    private static void Echo(Utf8JsonWriter w, JsonElement request, string name)
    {
        w.WritePropertyName(name);
        if (request.ValueKind == JsonValueKind.Object && request.TryGetProperty(name, out var value))
        {
            value.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private static void EchoNumber(Utf8JsonWriter w, JsonElement request, string name, double fallback)
    {
        if (request.ValueKind == JsonValueKind.Object && request.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
        }
        else
        {
            w.WriteNumber(name, fallback);
        }
    }

    private static void WriteNullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
