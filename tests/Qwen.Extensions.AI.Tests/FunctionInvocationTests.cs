using System.Net;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests;

/// <summary>MEAI's FunctionInvokingChatClient drives full tool loops over canned replies, on both paths.</summary>
public sealed class FunctionInvocationTests
{
    public static TheoryData<bool> BothPaths => new() { false, true };

    private const string ToolCallReply =
        """{"choices":[{"message":{"role":"assistant","content":"","tool_calls":[{"index":0,"id":"call_8f08d2b0fc0c4d8fab7123","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\": \"Hangzhou\"}"}}]},"finish_reason":"tool_calls","index":0,"logprobs":null}],"object":"chat.completion","usage":{"prompt_tokens":257,"completion_tokens":21,"total_tokens":278},"created":1735120033,"model":"qwen-plus","id":"chatcmpl-8f08d2b0-fc0c-4d8f-ab71-23aa00000001"}""";

    private const string AnswerReply =
        """{"choices":[{"message":{"role":"assistant","content":"It is sunny in Hangzhou today."},"finish_reason":"stop","index":0,"logprobs":null}],"object":"chat.completion","usage":{"prompt_tokens":300,"completion_tokens":8,"total_tokens":308},"created":1735120034,"model":"qwen-plus","id":"chatcmpl-answer"}""";

    private static AIFunction WeatherFunction(List<string> calls) =>
        AIFunctionFactory.Create(
            (string location) =>
            {
                lock (calls)
                {
                    calls.Add(location);
                }

                return $"Sunny in {location}, 25 degrees";
            },
            "get_current_weather",
            "Gets the current weather of a city.");

    private static async Task<(ChatResponse Response, FakeHttpHandler Handler, List<string> Calls)> RunLoopAsync(CannedResponse first, CannedResponse second, bool streaming, string? model = null)
    {
        var handler = new FakeHttpHandler(first, second);
        using var inner = Create(handler);
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var calls = new List<string>();
        var options = new ChatOptions { ModelId = model, Tools = [WeatherFunction(calls)] };

        var response = await GetAsync(client, [new(ChatRole.User, "What is the weather in Hangzhou?")], options, streaming);
        return (response, handler, calls);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AToolLoopRunsTheFunctionAndSendsCallAndResultBack(bool streaming)
    {
        var (first, second) = streaming
            ? (CannedResponse.SseFixture("Streams/tool-call-fragments.sse"), CannedResponse.MinimalStream("It is sunny in Hangzhou today."))
            : (CannedResponse.Json(ToolCallReply), CannedResponse.Json(AnswerReply));

        var (response, handler, calls) = await RunLoopAsync(first, second, streaming);

        Assert.Equal(["Hangzhou"], calls);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Contains("It is sunny in Hangzhou today.", response.Text);
        JsonAssert.Equal(
            """
            [
              {"role":"user","content":"What is the weather in Hangzhou?"},
              {"role":"assistant","content":"","tool_calls":[{"id":"call_8f08d2b0fc0c4d8fab7123","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":\"Hangzhou\"}"}}]},
              {"role":"tool","tool_call_id":"call_8f08d2b0fc0c4d8fab7123","content":"Sunny in Hangzhou, 25 degrees"}
            ]
            """,
            handler.Requests[1].Json.GetProperty("messages"));

        // Both requests offer the tool; the second carries the same options.
        Assert.All(handler.Requests, r => Assert.Equal("get_current_weather", r.Json.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString()));
        Assert.All(handler.Requests, r => Assert.Equal(streaming, r.Json.TryGetProperty("stream", out _)));
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task AThinkingModelsReasoningIsEchoedInTheToolLoop(bool streaming)
    {
        var (first, second) = streaming
            ? (CannedResponse.SseFixture("Streams/thinking-tool-call.sse"), CannedResponse.SseFixture("Streams/reasoning-and-text.sse"))
            : (CannedResponse.JsonFixture("Responses/thinking-tool-call.json"), CannedResponse.JsonFixture("Responses/thinking-final-answer.json"));

        var (response, handler, calls) = await RunLoopAsync(first, second, streaming, model: "qwen3-plus");

        Assert.Equal(["Hangzhou"], calls);
        Assert.Equal(2, handler.Requests.Count);
        Assert.NotEmpty(response.Text);
        JsonAssert.Equal(
            """
            [
              {"role":"user","content":"What is the weather in Hangzhou?"},
              {"role":"assistant","content":"","reasoning_content":"I need the weather for Hangzhou.","tool_calls":[{"id":"call_think_1","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":\"Hangzhou\"}"}}]},
              {"role":"tool","tool_call_id":"call_think_1","content":"Sunny in Hangzhou, 25 degrees"}
            ]
            """,
            handler.Requests[1].Json.GetProperty("messages"));
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task ParallelCallsAreAllInvokedAndAnsweredInOneRound(bool streaming)
    {
        const string parallelReply =
            """{"choices":[{"message":{"role":"assistant","content":"","tool_calls":[{"index":0,"id":"call_weather_hz","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\": \"Hangzhou\"}"}},{"index":1,"id":"call_weather_sh","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\": \"Shanghai\"}"}}]},"finish_reason":"tool_calls","index":0}],"object":"chat.completion","created":1735120033,"model":"qwen-plus","id":"chatcmpl-parallel"}""";
        var (first, second) = streaming
            ? (CannedResponse.SseFixture("Streams/parallel-tool-calls.sse"), CannedResponse.MinimalStream("Both sunny."))
            : (CannedResponse.Json(parallelReply), CannedResponse.Json(AnswerReply));

        var (_, handler, calls) = await RunLoopAsync(first, second, streaming);

        Assert.Equal(["Hangzhou", "Shanghai"], calls.Order());
        var messages = handler.Requests[1].Json.GetProperty("messages");
        Assert.Equal(4, messages.GetArrayLength());
        Assert.Equal(2, messages[1].GetProperty("tool_calls").GetArrayLength());
        Assert.Equal("call_weather_hz", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("call_weather_sh", messages[3].GetProperty("tool_call_id").GetString());
    }

    [Fact]
    public async Task AToolLoopOnAStreamOnlyModelFallsBackToStreamingInsideTheLoop()
    {
        var handler = new FakeHttpHandler(
            StreamOnlyFallbackTests.StreamOnlyRejection(),
            CannedResponse.SseFixture("Streams/thinking-tool-call.sse"),
            CannedResponse.SseFixture("Streams/reasoning-and-text.sse"));
        using var inner = Create(handler);
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var calls = new List<string>();

        var response = await client.GetResponseAsync([new(ChatRole.User, "What is the weather in Hangzhou?")], new ChatOptions { ModelId = StreamOnlyFallbackTests.UnknownStreamOnlyModel, Tools = [WeatherFunction(calls)] });

        Assert.Equal(["Hangzhou"], calls);
        Assert.Equal(3, handler.Requests.Count);
        Assert.True(handler.Requests[2].Json.GetProperty("stream").GetBoolean());
        Assert.Equal("I need the weather for Hangzhou.", handler.Requests[2].Json.GetProperty("messages")[1].GetProperty("reasoning_content").GetString());
        Assert.Equal("The answer is 2.", response.Text);
    }

    [Fact]
    public async Task AnErrorInTheSecondRoundSurfacesAsQwenApiException()
    {
        var handler = new FakeHttpHandler(
            CannedResponse.Json(ToolCallReply),
            CannedResponse.Error(HttpStatusCode.BadRequest, "invalid_parameter_error", "invalid_request_error", "messages with role \"tool\" must be a response to a preceeding message with \"tool_calls\"."));
        using var inner = Create(handler);
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var ex = await Assert.ThrowsAsync<QwenApiException>(() =>
            client.GetResponseAsync([new(ChatRole.User, "What is the weather in Hangzhou?")], new ChatOptions { Tools = [WeatherFunction([])] }));
        Assert.Equal("invalid_parameter_error", ex.ErrorCode);
    }
}
