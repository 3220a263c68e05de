namespace Qwen.Extensions.AI.Tests.Fuzz;

/// <summary>
/// Payloads captured in the service's documentation (the seeds: chat, vision and API-reference pages) and the stream quirks
/// recorded in the wire mapping (tool-call fragments with <c>"id":""</c>, reasoning deltas, usage details, error events).
/// </summary>
internal static class FuzzCorpus
{
    public static readonly string[] Completions =
    [
        """{"id":"chatcmpl-xxx","choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"content":"I am a large-scale pre-trained model from Alibaba Cloud. My name is Qwen.","role":"assistant","function_call":null,"tool_calls":null}}],"created":1716430652,"model":"qwen-plus","object":"chat.completion","system_fingerprint":null,"usage":{"completion_tokens":18,"prompt_tokens":22,"total_tokens":40}}""",
        """{"choices":[{"message":{"content":"In Figure 1, a woman is interacting with her pet dog on the beach. The dog raises its front paw as if it wants to shake hands.\nFigure 2 is a CG-rendered picture of a tiger.","role":"assistant"},"finish_reason":"stop","index":0,"logprobs":null}],"object":"chat.completion","usage":{"prompt_tokens":2509,"completion_tokens":34,"total_tokens":2543},"created":1724729556,"system_fingerprint":null,"model":"qwen-vl-plus","id":"chatcmpl-1abb4eb9-f508-9637-a8ba-ac7fc6f73e53"}""",
        """{"choices":[{"message":{"content":"","role":"assistant","reasoning_content":"The user asks for the weather.","tool_calls":[{"index":0,"id":"call_6e1d8e2bcbb5459c8c2a27","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\": \"Hangzhou\"}"}}]},"finish_reason":"tool_calls","index":0,"logprobs":null}],"object":"chat.completion","usage":{"prompt_tokens":3019,"completion_tokens":104,"total_tokens":3123,"prompt_tokens_details":{"cached_tokens":2048},"completion_tokens_details":{"reasoning_tokens":80,"text_tokens":24}},"created":1735120033,"system_fingerprint":null,"model":"qwen-plus","id":"chatcmpl-6ada9ed2-7f33-9de2-8bb0-78bd4035025a"}""",
        """{"error":{"message":"Incorrect API key provided. ","type":"invalid_request_error","param":null,"code":"invalid_api_key"},"request_id":"7b1f8c3e-4a2b-9d1e-8f3a-2c5b6d7e8f90"}""",
    ];

    public static readonly string[][] Streams =
    [
        [
            """{"choices":[{"delta":{"content":"","role":"assistant"},"index":0,"logprobs":null,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1724729595,"system_fingerprint":null,"model":"qwen-vl-plus","id":"chatcmpl-4c83f437-303f-907b-9de5-79cac83d6b18"}""",
            """{"choices":[{"finish_reason":null,"delta":{"content":"In the"},"index":0,"logprobs":null}],"object":"chat.completion.chunk","usage":null,"created":1724729595,"system_fingerprint":null,"model":"qwen-vl-plus","id":"chatcmpl-4c83f437-303f-907b-9de5-79cac83d6b18"}""",
            """{"choices":[{"delta":{"content":" picture,"},"finish_reason":null,"index":0,"logprobs":null}],"object":"chat.completion.chunk","usage":null,"created":1724729595,"system_fingerprint":null,"model":"qwen-vl-plus","id":"chatcmpl-4c83f437-303f-907b-9de5-79cac83d6b18"}""",
            """{"choices":[{"finish_reason":"stop","delta":{"content":" a moment of friendship between a person and a pet."},"index":0,"logprobs":null}],"object":"chat.completion.chunk","usage":null,"created":1724729595,"system_fingerprint":null,"model":"qwen-vl-plus","id":"chatcmpl-4c83f437-303f-907b-9de5-79cac83d6b18"}""",
            """{"choices":[],"object":"chat.completion.chunk","usage":{"prompt_tokens":1276,"completion_tokens":79,"total_tokens":1355},"created":1724729595,"system_fingerprint":null,"model":"qwen-vl-plus","id":"chatcmpl-4c83f437-303f-907b-9de5-79cac83d6b18"}""",
            "[DONE]",
        ],
        [
            """{"id":"chatcmpl-xxx","choices":[{"delta":{"content":"","function_call":null,"role":"assistant","tool_calls":null},"finish_reason":null,"index":0,"logprobs":null}],"created":1719286190,"model":"qwen-plus","object":"chat.completion.chunk","system_fingerprint":null,"usage":null}""",
            """{"id":"chatcmpl-xxx","choices":[{"delta":{"content":"I am","function_call":null,"role":null,"tool_calls":null},"finish_reason":null,"index":0,"logprobs":null}],"created":1719286190,"model":"qwen-plus","object":"chat.completion.chunk","system_fingerprint":null,"usage":null}""",
            """{"id":"chatcmpl-xxx","choices":[{"delta":{"content":"","function_call":null,"role":null,"tool_calls":null},"finish_reason":"stop","index":0,"logprobs":null}],"created":1719286190,"model":"qwen-plus","object":"chat.completion.chunk","system_fingerprint":null,"usage":null}""",
            """{"id":"chatcmpl-xxx","choices":[],"created":1719286190,"model":"qwen-plus","object":"chat.completion.chunk","system_fingerprint":null,"usage":{"completion_tokens":16,"prompt_tokens":22,"total_tokens":38}}""",
            "[DONE]",
        ],
        [
            """{"choices":[{"delta":{"content":null,"role":"assistant","reasoning_content":"Let me check"},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1735120033,"model":"qwen-plus","id":"chatcmpl-t1"}""",
            """{"choices":[{"delta":{"content":null,"tool_calls":[{"index":0,"id":"call_8f0d","type":"function","function":{"name":"get_current_weather","arguments":""}}]},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1735120033,"model":"qwen-plus","id":"chatcmpl-t1"}""",
            """{"choices":[{"delta":{"content":null,"tool_calls":[{"index":0,"id":"","type":"function","function":{"arguments":"{\"location\":"}}]},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1735120033,"model":"qwen-plus","id":"chatcmpl-t1"}""",
            """{"choices":[{"delta":{"content":null,"tool_calls":[{"index":0,"id":"","type":"function","function":{"arguments":" \"Hangzhou\"}"}}]},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1735120033,"model":"qwen-plus","id":"chatcmpl-t1"}""",
            """{"choices":[{"delta":{"content":null,"tool_calls":[{"index":1,"id":"call_9a1e","type":"function","function":{"name":"get_current_time","arguments":"{}"}}]},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1735120033,"model":"qwen-plus","id":"chatcmpl-t1"}""",
            """{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"","type":"function","function":{}}]},"index":0,"finish_reason":"tool_calls"}],"object":"chat.completion.chunk","usage":null,"created":1735120033,"model":"qwen-plus","id":"chatcmpl-t1"}""",
            """{"choices":[],"object":"chat.completion.chunk","usage":{"prompt_tokens":3019,"completion_tokens":104,"total_tokens":3123,"prompt_tokens_details":{"cached_tokens":2048},"completion_tokens_details":{"reasoning_tokens":80}},"created":1735120033,"model":"qwen-plus","id":"chatcmpl-t1"}""",
            "[DONE]",
        ],
        [
            """{"choices":[{"delta":{"content":"Partial","role":"assistant"},"index":0,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1735120033,"model":"qwen-plus","id":"chatcmpl-e1"}""",
            """{"error":{"message":"Output data may contain inappropriate content.","type":"data_inspection_failed","param":null,"code":"data_inspection_failed"},"request_id":"e2b5d1a0-0000-4000-8000-000000000001"}""",
        ],
    ];

    /// <summary>Tokens spliced in by the mutator: wrong types, extreme numbers, control bytes, protocol markers.</summary>
    public static readonly string[] Tokens =
    [
        "null", "[]", "{}", "\"\"", "\"x\"", "-1", "0", "1.5", "1e309", "-1e309", "9223372036854775808", "-9223372036854775809", "253402300800",
        "true", "false", "\"\\ud800\"", "\"\\u0000\"", "{\"error\":{}}", "{\"error\":null}", "{\"error\":7}", "[DONE]", "\n\n", "data: ", "event: error\n",
        ":", ",", "{", "}", "[", "]", "\"", "\\", "{\"index\":-5}", "{\"index\":99999}", "[[[[[[[[[[", "\"finish_reason\":\"length\"",
        "\"tool_calls\":[{\"index\":0,\"id\":\"call_new\",\"function\":{\"name\":\"x\",\"arguments\":\"{\"}}]", "\"created\":-99999999999999",
        "\"audio\":{\"data\":\"###\"}", "\"content\":[{\"type\":\"text\",\"text\":5}]",
    ];
}
