using Qwen.Extensions.AI.Emulator.Behaviour;

namespace Qwen.Extensions.AI.Emulator.Wire;

/// <summary>Writes compatible-mode bodies exactly as DashScope shapes them: completion, chunks, usage chunk, error body.</summary>
internal static class CompletionWriter
{
    public static byte[] Completion(ReplyPlan plan, string model, string id, long created, UsageNumbers usage, int choices = 1)
    {
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("choices");
            for (var choice = 0; choice < choices; choice++)
            {
                w.WriteStartObject();
                w.WriteStartObject("message");
                WriteAnnotations(w, plan.AudioInfo);
                w.WriteString("content", plan.Content ?? string.Empty);
                if (plan.Reasoning is not null)
                {
                    w.WriteString("reasoning_content", plan.Reasoning);
                }

                w.WriteString("role", "assistant");
                if (plan.ToolCalls.Count > 0)
                {
                    w.WriteStartArray("tool_calls");
                    for (var i = 0; i < plan.ToolCalls.Count; i++)
                    {
                        var call = plan.ToolCalls[i];
                        w.WriteStartObject();
                        w.WriteStartObject("function");
                        w.WriteString("name", call.Name);
                        w.WriteString("arguments", call.ArgumentsJson);
                        w.WriteEndObject();
                        w.WriteNumber("index", i);
                        w.WriteString("id", call.Id);
                        w.WriteString("type", "function");
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
                w.WriteString("finish_reason", plan.FinishReason);
                w.WriteNumber("index", choice);
                w.WriteNull("logprobs");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("object", "chat.completion");
            WriteUsage(w, usage);
            Trailer(w, model, id, created);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// The chunk events of a streamed reply (without the usage chunk and <c>[DONE]</c>); <paramref name="choiceIndex"/> is the
    /// <c>index</c> of the choice they belong to (with <c>n</c> &gt; 1 each choice streams its own).
    /// </summary>
    public static List<byte[]> Chunks(ReplyPlan plan, string model, string id, long created, int wordsPerChunk, int choiceIndex = 0)
    {
        var events = new List<byte[]>();
        var thinking = plan.Reasoning is not null;
        events.Add(Chunk(model, id, created, choiceIndex, null, w =>
        {
            if (thinking)
            {
                w.WriteNull("content");
                w.WriteString("role", "assistant");
                w.WriteString("reasoning_content", string.Empty);
            }
            else
            {
                w.WriteString("content", string.Empty);
                w.WriteString("role", "assistant");
            }
        }));

        foreach (var piece in Split(plan.Reasoning, wordsPerChunk))
        {
            events.Add(Chunk(model, id, created, choiceIndex, null, w =>
            {
                w.WriteNull("content");
                w.WriteString("reasoning_content", piece);
            }));
        }

        foreach (var piece in Split(plan.Content, wordsPerChunk))
        {
            events.Add(Chunk(model, id, created, choiceIndex, null, w =>
            {
                w.WriteString("content", piece);
                if (thinking)
                {
                    w.WriteNull("reasoning_content");
                }
            }));
        }

        for (var i = 0; i < plan.ToolCalls.Count; i++)
        {
            var call = plan.ToolCalls[i];
            var index = i;

            // DashScope fragment style: the first fragment carries id and name, later ones "id":"" and argument pieces.
            events.Add(Chunk(model, id, created, choiceIndex, null, w =>
            {
                w.WriteNull("content");
                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                w.WriteNumber("index", index);
                w.WriteString("id", call.Id);
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", call.Name);
                w.WriteString("arguments", string.Empty);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }));

            foreach (var piece in SplitArguments(call.ArgumentsJson))
            {
                events.Add(Chunk(model, id, created, choiceIndex, null, w =>
                {
                    w.WriteStartArray("tool_calls");
                    w.WriteStartObject();
                    w.WriteNumber("index", index);
                    w.WriteString("id", string.Empty);
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("arguments", piece);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndArray();
                }));
            }
        }

        var lastCall = plan.ToolCalls.Count - 1;
        events.Add(Chunk(model, id, created, choiceIndex, plan.FinishReason, w =>
        {
            if (lastCall >= 0)
            {
                // The trailing fragment with an empty function object, as captured.
                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                w.WriteStartObject("function");
                w.WriteEndObject();
                w.WriteNumber("index", lastCall);
                w.WriteString("id", string.Empty);
                w.WriteString("type", "function");
                w.WriteEndObject();
                w.WriteEndArray();
            }
            else
            {
                // qwen3-asr: the annotation rides on the finish chunk (the docs show no streamed sample; the emulator's choice).
                WriteAnnotations(w, plan.AudioInfo);
                w.WriteString("content", string.Empty);
            }
        }));
        return events;
    }

    /// <summary>qwen3-asr's <c>"annotations":[{"emotion","language","type":"audio_info"}]</c>, in the order the docs print it.</summary>
    private static void WriteAnnotations(Utf8JsonWriter w, AudioInfo? info)
    {
        if (info is null)
        {
            return;
        }

        w.WriteStartArray("annotations");
        w.WriteStartObject();
        w.WriteString("emotion", info.Emotion);
        w.WriteString("language", info.Language);
        w.WriteString("type", "audio_info");
        w.WriteEndObject();
        w.WriteEndArray();
    }

    public static byte[] UsageChunk(string model, string id, long created, UsageNumbers usage) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("choices");
        w.WriteEndArray();
        w.WriteString("object", "chat.completion.chunk");
        WriteUsage(w, usage);
        Trailer(w, model, id, created);
        w.WriteEndObject();
    });

    public static byte[] ErrorBody(EmulatorError error, string requestId) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", error.Message);
        w.WriteString("type", error.Type);
        if (error.Param is null)
        {
            w.WriteNull("param");
        }
        else
        {
            w.WriteString("param", error.Param);
        }

        w.WriteString("code", error.Code);
        w.WriteEndObject();
        w.WriteString("request_id", requestId);
        w.WriteEndObject();
    });

    /// <summary>An error as one streamed event, in the captured field order: <c>{"error":{"code","param","message","type"},"id"}</c> (dashscope-more.md 4.3).</summary>
    public static byte[] StreamErrorBody(EmulatorError error, string id) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("code", error.Code);
        if (error.Param is null)
        {
            w.WriteNull("param");
        }
        else
        {
            w.WriteString("param", error.Param);
        }

        w.WriteString("message", error.Message);
        w.WriteString("type", error.Type);
        w.WriteEndObject();
        w.WriteString("id", id);
        w.WriteEndObject();
    });

    private static byte[] Chunk(string model, string id, long created, int choiceIndex, string? finishReason, Action<Utf8JsonWriter> delta) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        if (finishReason is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finishReason);
        }

        w.WriteNumber("index", choiceIndex);
        w.WriteNull("logprobs");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNull("usage");
        Trailer(w, model, id, created);
        w.WriteEndObject();
    });

    private static void WriteUsage(Utf8JsonWriter w, UsageNumbers usage)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", usage.Prompt);
        w.WriteNumber("completion_tokens", usage.Completion);
        w.WriteNumber("total_tokens", usage.Total);
        w.WriteStartObject("prompt_tokens_details");
        if (usage.CacheCreation is { } created)
        {
            // Explicit cache (dashscope-more.md 3.4, the qwen3.8-max captures): all four fields, creation 0 on a hit.
            w.WriteStartObject("cache_creation");
            w.WriteNumber("ephemeral_5m_input_tokens", created);
            w.WriteEndObject();
            w.WriteNumber("cache_creation_input_tokens", created);
            w.WriteString("cache_type", "ephemeral");
        }

        w.WriteNumber("cached_tokens", usage.Cached);
        if (usage.Modalities)
        {
            if (usage.InputAudio > 0)
            {
                w.WriteNumber("audio_tokens", usage.InputAudio);
            }

            w.WriteNumber("text_tokens", usage.Prompt - usage.InputAudio);
        }

        w.WriteEndObject();
        if (usage.Reasoning > 0 || usage.Modalities)
        {
            w.WriteStartObject("completion_tokens_details");
            if (usage.Reasoning > 0)
            {
                w.WriteNumber("reasoning_tokens", usage.Reasoning);
            }

            if (usage.Modalities)
            {
                w.WriteNumber("text_tokens", Math.Max(0, usage.Completion - usage.Reasoning));
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Trailer(Utf8JsonWriter w, string model, string id, long created)
    {
        w.WriteNumber("created", created);
        w.WriteNull("system_fingerprint");
        w.WriteString("model", model);
        w.WriteString("id", id);
    }

    /// <summary>Splits text into pieces of <paramref name="words"/> words, keeping every character (so the pieces concatenate back).</summary>
    internal static IEnumerable<string> Split(string? text, int words)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        words = Math.Max(1, words);
        var start = 0;
        var count = 0;
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var white = char.IsWhiteSpace(text[i]);
            if (!white && !inWord)
            {
                if (count == words)
                {
                    yield return text[start..i];
                    start = i;
                    count = 0;
                }

                count++;
            }

            inWord = !white;
        }

        yield return text[start..];
    }

    /// <summary>Splits argument JSON into three roughly equal pieces (never splitting a surrogate pair).</summary>
    private static IEnumerable<string> SplitArguments(string json)
    {
        if (json.Length == 0)
        {
            yield break;
        }

        var size = Math.Max(1, (json.Length + 2) / 3);
        var start = 0;
        while (start < json.Length)
        {
            var end = Math.Min(json.Length, start + size);
            if (end < json.Length && char.IsHighSurrogate(json[end - 1]))
            {
                end++;
            }

            yield return json[start..end];
            start = end;
        }
    }

    internal static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
