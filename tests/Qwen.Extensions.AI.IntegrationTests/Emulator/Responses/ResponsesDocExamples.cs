using System.Text.RegularExpressions;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator.Responses;

/// <summary>
/// The complete examples of shared/docs/dashscope-more.md §1.12, §1.9 and §1.10, copied verbatim. The doc's own elisions
/// (<c>...</c>, <c>[...]</c>, <c>…</c>) are removed by <see cref="Parseable"/> before parsing; nothing else is changed.
/// </summary>
public static class ResponsesDocExamples
{
    /// <summary>§1.12 request + non-stream response [doc RZ/RE].</summary>
    public const string CreateRequest = """
        {
          "model": "qwen3.8-max",
          "input": "What can you do?"
        }
        """;

    public const string CreateResponse = """
        {
            "created_at": 1771165900.0,
            "id": "f75c28fb-4064-48ed-90da-4d2cc4362xxx",
            "model": "qwen3.5-plus",
            "object": "response",
            "output": [
                {
                    "content": [
                        {
                            "annotations": [],
                            "text": "Hello! I am Qwen3.5, a large language model developed by Alibaba Cloud with knowledge up to 2026, designed to assist you with complex reasoning, creative tasks, and multilingual conversations.",
                            "type": "output_text"
                        }
                    ],
                    "id": "msg_89ad23e6-f128-4d4c-b7a1-a786e7880xxx",
                    "role": "assistant",
                    "status": "completed",
                    "type": "message"
                }
            ],
            "parallel_tool_calls": false,
            "status": "completed",
            "tool_choice": "auto",
            "tools": [],
            "usage": {
                "input_tokens": 57,
                "input_tokens_details": {
                    "cached_tokens": 0
                },
                "output_tokens": 44,
                "output_tokens_details": {
                    "reasoning_tokens": 0
                },
                "total_tokens": 101,
                "x_details": [
                    {
                        "input_tokens": 57,
                        "output_tokens": 44,
                        "total_tokens": 101,
                        "x_billing_type": "response_api"
                    }
                ]
            }
        }
        """;

    /// <summary>§1.12 real captured response with reasoning [capture P-DART], <c>input: "What is the capital of France?"</c>, qwen3.8-max.</summary>
    public const string ReasoningResponse = """
        {
          "id": "resp_b7f63a50-d3ca-96e4-a352-bef7e911ae32",
          "created_at": 1787041707,
          "error": null,
          "incomplete_details": null,
          "instructions": null,
          "metadata": {},
          "model": "qwen3.8-max",
          "object": "response",
          "output": [
            {
              "id": "msg_fbe10bf7-9bd2-4257-a9f5-42c541f4e05e",
              "summary": [
                {
                  "text": "The user is asking a simple factual question: \"What is the capital of France?\" The answer is Paris. This is straightforward and doesn't require any complex reasoning.",
                  "type": "summary_text"
                }
              ],
              "type": "reasoning",
              "content": null,
              "encrypted_content": null,
              "status": null
            },
            {
              "id": "msg_a3755d98-4da7-40c3-8bb7-6f357a8dffe0",
              "content": [
                {
                  "annotations": [],
                  "text": "The capital of France is **Paris**.",
                  "type": "output_text",
                  "logprobs": null
                }
              ],
              "role": "assistant",
              "status": "completed",
              "type": "message"
            }
          ],
          "parallel_tool_calls": true,
          "temperature": 1.0,
          "tool_choice": "auto",
          "tools": [],
          "top_p": 1.0,
          "background": false,
          "conversation": null,
          "max_output_tokens": null,
          "max_tool_calls": null,
          "previous_response_id": null,
          "prompt": null,
          "prompt_cache_key": null,
          "prompt_cache_retention": null,
          "reasoning": null,
          "safety_identifier": null,
          "service_tier": "default",
          "status": "completed",
          "text": null,
          "top_logprobs": 0,
          "truncation": null,
          "usage": {
            "input_tokens": 100,
            "input_tokens_details": { "cached_tokens": 0 },
            "output_tokens": 46,
            "output_tokens_details": { "reasoning_tokens": 33 },
            "total_tokens": 146,
            "x_details": [
              {
                "input_tokens": 100,
                "output_tokens": 46,
                "total_tokens": 146,
                "output_tokens_details": { "reasoning_tokens": 33 },
                "prompt_tokens_details": { "cached_tokens": 0 },
                "x_billing_type": "response_api"
              }
            ]
          },
          "user": null,
          "completed_at": 1787041708,
          "frequency_penalty": 0.0,
          "presence_penalty": 0.0,
          "store": true,
          "moderation": null,
          "billing": null
        }
        """;

    /// <summary>§1.12 captured <c>response.completed</c> data line [capture P-RUST].</summary>
    public const string CompletedEvent = """{"sequence_number":10,"type":"response.completed","response":{"top_logprobs":0,"instructions":"You are a helpful assistant.","metadata":{},"usage":{"total_tokens":60,"input_tokens_details":{"cached_tokens":0},"output_tokens":3,"input_tokens":57,"output_tokens_details":{"reasoning_tokens":0},"x_details":[{"total_tokens":60,"x_billing_type":"response_api","output_tokens":3,"input_tokens":57,"prompt_tokens_details":{"cached_tokens":0}}]},"created_at":1782287513,"model":"qwen3-coder-plus"}}""";

    /// <summary>§1.12 basic streaming sequence [doc RE] (data payloads, in order; the doc elides events between with sequence gaps).</summary>
    public static readonly string[] BasicStream =
    [
        """{"response":{"id":"428c90e9-9cd6-90a6-9726-c02b08ebexxx","created_at":1769082930,"object":"response","status":"queued",...},"sequence_number":0,"type":"response.created"}""",
        """{"response":{"id":"428c90e9-9cd6-90a6-9726-c02b08ebexxx","status":"in_progress",...},"sequence_number":1,"type":"response.in_progress"}""",
        """{"item":{"id":"msg_bcb45d66-fc34-46a2-bb56-714a51e8exxx","content":[],"role":"assistant","status":"in_progress","type":"message"},"output_index":0,"sequence_number":2,"type":"response.output_item.added"}""",
        """{"content_index":0,"item_id":"msg_bcb45d66-fc34-46a2-bb56-714a51e8exxx","output_index":0,"part":{"annotations":[],"text":"","type":"output_text","logprobs":null},"sequence_number":3,"type":"response.content_part.added"}""",
        """{"content_index":0,"delta":"Artificial intelligence","item_id":"msg_bcb45d66-fc34-46a2-bb56-714a51e8exxx","logprobs":[],"output_index":0,"sequence_number":4,"type":"response.output_text.delta"}""",
        """{"content_index":0,"item_id":"msg_bcb45d66-fc34-46a2-bb56-714a51e8exxx","logprobs":[],"output_index":0,"sequence_number":53,"text":"Artificial intelligence (AI) refers to the technology and science that simulates human intelligent behavior by computer systems...","type":"response.output_text.done"}""",
        """{"content_index":0,"item_id":"msg_bcb45d66-fc34-46a2-bb56-714a51e8exxx","output_index":0,"part":{"annotations":[],"text":"...full text...","type":"output_text","logprobs":null},"sequence_number":54,"type":"response.content_part.done"}""",
        """{"item":{"id":"msg_bcb45d66-fc34-46a2-bb56-714a51e8exxx","content":[{"annotations":[],"text":"...full text...","type":"output_text","logprobs":null}],"role":"assistant","status":"completed","type":"message"},"output_index":0,"sequence_number":55,"type":"response.output_item.done"}""",
        """{"response":{"id":"428c90e9-9cd6-90a6-9726-c02b08ebexxx","created_at":1769082930,"model":"qwen3-max-2026-01-23","object":"response","output":[...],"status":"completed","usage":{"input_tokens":37,"output_tokens":243,"total_tokens":280,...}},"sequence_number":56,"type":"response.completed"}""",
    ];

    /// <summary>§1.9 framing example [doc RE].</summary>
    public const string CreatedFrame = """
        id:1
        event:response.created
        :HTTP_STATUS/200
        data:{"sequence_number":0,"type":"response.created","response":{"output":[],"parallel_tool_calls":false,"created_at":1769435906,"tool_choice":"auto","model":"","id":"863df8d9-cb29-4239-a54f-3e15a2427xxx","tools":[],"object":"response","status":"queued"}}
        """;

    /// <summary>§1.12 web search stream excerpt [doc RE] (data payloads, in order).</summary>
    public static readonly string[] WebSearchStream =
    [
        """{"sequence_number":2,"item":{"summary":[],"type":"reasoning","id":"msg_5bd0c6df-19b8-4a04-bc00-8042a224exxx"},"output_index":0,"type":"response.output_item.added"}""",
        """{"delta":"The user wants me to:\n1. Search for the Alibaba Cloud official website.\n2. Extract key information from the home page.\n\nI need to first search for the URL of the Alibaba Cloud website, then use the web_extractor tool to access the site and extract key information.","sequence_number":3,"output_index":0,"type":"response.reasoning_summary_text.delta","item_id":"msg_5bd0c6df-19b8-4a04-bc00-8042a224exxx","summary_index":0}""",
        """{"sequence_number":15,"item":{"action":{"type":"search","query":"Web search"},"id":"msg_a8a686b1-0a57-40e1-bb55-049a89cd4xxx","type":"web_search_call","status":"in_progress"},"output_index":1,"type":"response.output_item.added"}""",
        """{"sequence_number":16,"output_index":1,"type":"response.web_search_call.in_progress","item_id":"msg_a8a686b1-0a57-40e1-bb55-049a89cd4xxx"}""",
        """{"sequence_number":18,"output_index":1,"type":"response.web_search_call.completed","item_id":"msg_a8a686b1-0a57-40e1-bb55-049a89cd4xxx"}""",
        """{"sequence_number":19,"item":{"action":{"sources":[{"type":"url","url":"https://cn.aliyun.com/"},{"type":"url","url":"https://www.aliyun.com/"}],"type":"search","query":"Web search"},"id":"msg_a8a686b1-0a57-40e1-bb55-049a89cd4xxx","type":"web_search_call","status":"completed"},"output_index":1,"type":"response.output_item.done"}""",
    ];

    /// <summary>§1.10 rate limit in an HTTP 200 body [doc RZ].</summary>
    public const string RateLimitBody = """{"created_at":1775189716,"error":{"code":"server_error","message":"Operation model request rate limit exceeded, please try again later."},"id":"resp_e158ca4e-a71c-9a8b-aebe-169a650508d0","model":"","object":"response","output":[],"parallel_tool_calls":false,"status":"failed","tool_choice":"auto","tools":[]}""";

    /// <summary>§1.9 streamed error (bad model, stream:true) [capture P-OMU].</summary>
    public const string StreamedErrorData = """{"sequence_number":0,"type":"response.failed","response":{…,"error":{"message":"Unsupported model: '__nope__'","code":"InvalidParameter"},"status":"failed"}}""";

    /// <summary>§1.10 missing model and bad key bodies [doc RZ].</summary>
    public const string MissingModelBody = """{"request_id":"0bf11b24-0c67-95da-bb15-f85dabcfdb7f","code":"InvalidParameter","message":"[400] missing_required_parameter: Missing required parameter: 'model'."}""";

    public const string BadKeyBody = """{"request_id":"5dc15bba-5586-9f64-980f-c36b679d9a65","code":"InvalidApiKey","message":"Invalid API-key provided."}""";

    /// <summary>§1.6 output items (shapes; the doc's placeholders are its own).</summary>
    public const string CodeInterpreterItem = """{"id":"msg_…","type":"code_interpreter_call","status":"completed","code":"print(1+1)","container_id":"","outputs":[{"type":"logs","logs":"…"}]}""";

    public const string McpItem = """{"id":"msg_xxx","type":"mcp_call","status":"completed","name":"amap-maps-maps_weather","server_label":"MCP Server","arguments":"{\"city\": \"Beijing\"}","output":"{\"city\":\"Beijing\",\"forecasts\":[...]}"}""";

    public const string FileSearchItem = """{"id":"msg_xxx","type":"file_search_call","status":"completed","queries":["Bailian X1"],"results":[{"score":0.7519,"filename":"Introduction to Alibaba Cloud Bailian Series Phones","text":"…","file_id":"file_xxx"}]}""";

    public const string WebExtractorItem = """{"id":"msg_…","type":"web_extractor_call","status":"completed","urls":["https://cn.aliyun.com/"],"goal":"Extract key information …","output":"The useful information in https://cn.aliyun.com/ for user goal … as follows: \n\nEvidence in page: …\n\nSummary: …"}""";

    public const string FunctionCallItem = """{"id":"…","type":"function_call","name":"get_current_weather","arguments":"{\"location\":\"Beijing\"}","call_id":"call_…"}""";

    /// <summary>§1.1 <c>InputItemsList</c> (schema field names) [doc RZ].</summary>
    public const string InputItemsList = """
        {"data":[{"id":"…","role":"user|assistant","content":[{"type":"input_text|output_text","text":"…"}],"type":"message","status":"completed"}],
         "first_id":"…","last_id":"…","has_more":false,"id":"resp_…","model":"…",
         "created_at":1771165900000,"previous_response_id":null}
        """;

    /// <summary>Removes the doc's elisions so an excerpt parses: <c>[...]</c> → <c>[]</c>, <c>,...</c> and <c>…,</c> → nothing.</summary>
    public static string Parseable(string excerpt) =>
        Regex.Replace(excerpt.Replace("[...]", "[]", StringComparison.Ordinal).Replace(",...", string.Empty, StringComparison.Ordinal), @"\{…,", "{");
}
