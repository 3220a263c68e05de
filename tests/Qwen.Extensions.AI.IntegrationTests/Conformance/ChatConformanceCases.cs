using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Qwen.Extensions.AI.IntegrationTests.Conformance;

/// <summary>
/// The conformance checklist of MEAI's provider suite, adapted to Qwen, as cases run by <see cref="EmulatorConformanceTests"/>
/// (real sockets against the emulator) and <see cref="LiveConformanceTests"/> (DashScope). Each case asserts on what the
/// caller got and on what the server received; exact answers are asserted only against the emulator.
/// </summary>
public abstract class ChatConformanceCases : IAsyncLifetime
{
    /// <summary>A 64×64 PNG (a sun over the sea).</summary>
    protected static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJAAABgUlEQVR42tXP7SoDcBzF8XMRLsLluBxJkiRJkiRJElpoIXmYjbEZZszDPD+UUq7j+NXeeGNr/9/vzanP+3O+6N2hNPTtUhr69ygNA/uUhsEcpWHogNIwnKc0jBQoDaOHlIaxI0rDeJHSMHFMaZg8oTRMlSgN02VKw8wpw7HR/Z/wLcxWGKvF+6bYOcydMUrb639FjWL+nFE6CogaxcIFQ3T0vilkF4tV+iW8b/JPY+mSfskB/mms1OiXHOCfRuaKfskB/mmsXtMvOcA/jfU6/ZID/NPI3tAvOcA/jY1b+iUH+KexdUe/5AD/NLbvGSLhfcgudhqM0tH7qFHsPTBKRwFRo8g9Mlbb67FzyD8xXIv34Vs4fKY0FF8oDSevlIbyG6Wh8k5pOP+gNFQ/KQ1dPcvSLCAjzQLWpFlAVpoFbEqzgG1pFrArzQJy0iygIM0CitIsoCTNAirSLOBCmgXUpFlAXZoF3EmzgAdpFvAszQLepFnApzQL+JJmAd/SLOBH2i/r47YpbWZA5gAAAABJRU5ErkJggg==");

    protected ConformanceTarget Target { get; private set; } = null!;

    protected static CancellationToken Ct => TestTimeout.Token;

    public async Task InitializeAsync() => Target = await CreateTargetAsync();

    public async Task DisposeAsync() => await Target.DisposeAsync();

    protected abstract Task<ConformanceTarget> CreateTargetAsync();

    // ---- requests and answers ------------------------------------------------------------------------------------

    protected async Task SingleRequestMessageCase()
    {
        using var client = Target.CreateClient();
        var response = await client.GetResponseAsync("What is 1 + 1? Reply with just the number.", cancellationToken: Ct);

        Assert.Contains("2", response.Text);
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);
        var body = Assert.Single(Target.Received);
        Assert.Equal(Target.ChatModel, body.GetProperty("model").GetString());
        var message = Assert.Single(body.GetProperty("messages").EnumerateArray());
        Assert.Equal("user", message.GetProperty("role").GetString());
        Assert.Equal("What is 1 + 1? Reply with just the number.", message.GetProperty("content").GetString());
        Assert.False(body.TryGetProperty("stream", out var stream) && stream.GetBoolean());
        if (!Target.IsLive)
        {
            Assert.Equal("1 + 1 = 2.", response.Text);
        }
    }

    protected async Task MultipleRequestMessagesCase()
    {
        using var client = Target.CreateClient();
        List<ChatMessage> history =
        [
            new(ChatRole.System, "You are a helpful assistant."),
            new(ChatRole.User, "Hello"),
            new(ChatRole.Assistant, "Hi, how can I help?"),
            new(ChatRole.User, "What is 3 + 4? Reply with just the number."),
        ];
        var response = await client.GetResponseAsync(history, cancellationToken: Ct);

        Assert.Contains("7", response.Text);
        var messages = Assert.Single(Target.Received).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user", "assistant", "user"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(history.Select(m => m.Text), messages.Select(m => m.GetProperty("content").GetString()));
    }

    protected async Task EmptyMessagesToleratedCase()
    {
        using var client = Target.CreateClient();
        List<ChatMessage> history =
        [
            new(ChatRole.System, []),
            new(ChatRole.User, []),
            new(ChatRole.User, "What is 1 + 2? Reply with just the number."),
        ];
        var response = await client.GetResponseAsync(history, cancellationToken: Ct);

        Assert.Contains("3", response.Text);
        var messages = Assert.Single(Target.Received).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("What is 1 + 2? Reply with just the number.", messages[^1].GetProperty("content").GetString());
        Assert.All(messages[..^1], m => Assert.Equal(string.Empty, RecordedText(m)));
    }

    protected async Task StreamingTextCase()
    {
        using var client = Target.CreateClient();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("What is 12 + 30? Reply with just the number.", cancellationToken: Ct))
        {
            updates.Add(update);
        }

        Assert.Contains("42", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal(updates[0].ResponseId, u.ResponseId));
        var body = Assert.Single(Target.Received);
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        if (!Target.IsLive)
        {
            Assert.Equal(["12 + 30 ", "= 42."], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        }
    }

    protected async Task UsageNonStreamingCase()
    {
        using var client = Target.CreateClient();
        var response = await client.GetResponseAsync("What is 2 + 5? Reply with just the number.", cancellationToken: Ct);

        var usage = Assert.IsType<UsageDetails>(response.Usage);
        Assert.True(usage.InputTokenCount > 0);
        Assert.True(usage.OutputTokenCount > 0);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
        Assert.Single(Target.Received);
    }

    protected async Task UsageStreamingExactlyOneUsageContentCase()
    {
        using var client = Target.CreateClient();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("What is 2 + 6? Reply with just the number.", cancellationToken: Ct))
        {
            updates.Add(update);
        }

        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.True(usage.InputTokenCount > 0);
        Assert.True(usage.OutputTokenCount > 0);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
        Assert.Equal(usage.TotalTokenCount, updates.ToChatResponse().Usage!.TotalTokenCount);
        Assert.True(Assert.Single(Target.Received).GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    protected async Task AddMessagesAsyncAppendsHistoryCase()
    {
        using var client = Target.CreateClient();
        List<ChatMessage> history = [new(ChatRole.User, "What is 2 + 2? Reply with just the number.")];
        await history.AddMessagesAsync(client.GetStreamingResponseAsync(history, cancellationToken: Ct), Ct);

        Assert.Equal(2, history.Count);
        Assert.Equal(ChatRole.Assistant, history[1].Role);
        Assert.Contains("4", history[1].Text);

        history.Add(new(ChatRole.User, "Now what is 3 + 3? Reply with just the number."));
        var second = await client.GetResponseAsync(history, cancellationToken: Ct);

        Assert.Contains("6", second.Text);
        Assert.Equal(2, Target.Received.Count);
        var sent = Target.Received[1].GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["user", "assistant", "user"], sent.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(history[1].Text, sent[1].GetProperty("content").GetString());
    }

    protected async Task ImageRequestCarriesTheImageCase()
    {
        using var client = Target.CreateClient(Target.VisionModel);
        var message = new ChatMessage(ChatRole.User, [new TextContent("Describe this image in one sentence."), new DataContent(Png, "image/png")]);
        var response = await client.GetResponseAsync([message], cancellationToken: Ct);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        var body = Assert.Single(Target.Received);
        Assert.Equal(Target.VisionModel, body.GetProperty("model").GetString());
        var parts = Assert.Single(body.GetProperty("messages").EnumerateArray()).GetProperty("content").EnumerateArray().ToList();
        Assert.Equal("Describe this image in one sentence.", parts.Single(p => p.GetProperty("type").GetString() == "text").GetProperty("text").GetString());
        var image = parts.Single(p => p.GetProperty("type").GetString() == "image_url");
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), image.GetProperty("image_url").GetProperty("url").GetString());
        if (!Target.IsLive)
        {
            Assert.Contains($"image/png image of about {Png.Length} bytes", response.Text);
        }
    }

    // ---- automatic function invocation ---------------------------------------------------------------------------

    protected async Task FunctionInvocationWithParametersCase()
    {
        var calls = new ConcurrentQueue<string>();
        var tool = AIFunctionFactory.Create(([Description("The person's name")] string personName) =>
        {
            calls.Enqueue(personName);
            return personName.Contains("Alice", StringComparison.OrdinalIgnoreCase) ? 42 : 0;
        }, "get_person_age", "Gets the age of a person.");
        using var client = FunctionClient();
        var response = await client.GetResponseAsync("How old is Alice? Use the get_person_age tool.", new ChatOptions { Tools = [tool] }, Ct);

        Assert.Contains("42", response.Text);
        Assert.Contains(calls, c => c.Contains("Alice", StringComparison.OrdinalIgnoreCase));
        var first = Target.Received[0];
        var declared = Assert.Single(first.GetProperty("tools").EnumerateArray()).GetProperty("function");
        Assert.Equal("get_person_age", declared.GetProperty("name").GetString());
        Assert.Equal("string", declared.GetProperty("parameters").GetProperty("properties").GetProperty("personName").GetProperty("type").GetString());
        var (call, result) = CallAndResult(Target.Received[1], "get_person_age");
        Assert.Equal("42", result.GetProperty("content").GetString());
        Assert.Equal(call.GetProperty("id").GetString(), result.GetProperty("tool_call_id").GetString());
        if (!Target.IsLive)
        {
            Assert.Equal(["Alice"], calls);
            Assert.Equal(2, Target.Received.Count);
            Assert.Equal("""{"personName":"Alice"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        }
    }

    protected async Task FunctionInvocationOptionalParameterCase()
    {
        var calls = new ConcurrentQueue<(string City, string Unit)>();
        var tool = AIFunctionFactory.Create((string city, string unit = "celsius") =>
        {
            calls.Enqueue((city, unit));
            return unit == "celsius" ? "22 degrees celsius" : "72 degrees fahrenheit";
        }, "get_weather", "Gets the current weather in a city.");
        using var client = FunctionClient();
        var response = await client.GetResponseAsync("What is the weather in Paris? Use the get_weather tool.", new ChatOptions { Tools = [tool] }, Ct);

        Assert.Contains("22", response.Text);
        Assert.Contains(calls, c => c.City.Contains("Paris", StringComparison.OrdinalIgnoreCase) && c.Unit == "celsius");
        var parameters = Target.Received[0].GetProperty("tools")[0].GetProperty("function").GetProperty("parameters");
        Assert.Equal(["city"], parameters.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(parameters.GetProperty("properties").TryGetProperty("unit", out _));
        if (!Target.IsLive)
        {
            var (call, _) = CallAndResult(Target.Received[1], "get_weather");
            Assert.Equal("""{"city":"Paris"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        }
    }

    protected async Task FunctionInvocationNestedRecordCase()
    {
        var orders = new ConcurrentQueue<Order>();
        var tool = AIFunctionFactory.Create((Order order) =>
        {
            orders.Enqueue(order);
            return $"Order accepted: {order.Quantity} x {order.Item} to {order.ShipTo.Street}, {order.ShipTo.City}";
        }, "place_order", "Places an order for delivery.");
        using var client = FunctionClient();
        var response = await client.GetResponseAsync(
            "Please order 3 'coffee mugs' for delivery to 'Baker Street' in London with the place_order tool.", new ChatOptions { Tools = [tool] }, Ct);

        Assert.Contains("accepted", response.Text, StringComparison.OrdinalIgnoreCase);
        var order = Assert.Single(orders);
        Assert.Equal(3, order.Quantity);
        Assert.Contains("mug", order.Item, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("London", order.ShipTo.City, StringComparison.OrdinalIgnoreCase);
        var schema = Target.Received[0].GetProperty("tools")[0].GetProperty("function").GetProperty("parameters");
        Assert.Equal("object", schema.GetProperty("properties").GetProperty("order").GetProperty("properties").GetProperty("shipTo").GetProperty("type").GetString());
        var (call, _) = CallAndResult(Target.Received[1], "place_order");
        using var arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.Equal(3, arguments.RootElement.GetProperty("order").GetProperty("quantity").GetInt32());
        if (!Target.IsLive)
        {
            Assert.Equal(new Order("coffee mugs", 3, new Address("Baker Street", "London")), order);
        }
    }

    protected async Task FunctionInvocationArrayParameterCase()
    {
        var calls = new ConcurrentQueue<int[]>();
        var tool = AIFunctionFactory.Create((int[] numbers) =>
        {
            calls.Enqueue(numbers);
            return numbers.Sum();
        }, "sum_numbers", "Adds a list of numbers.");
        using var client = FunctionClient();
        var response = await client.GetResponseAsync("Use the sum_numbers tool to add 4, 8 and 15.", new ChatOptions { Tools = [tool] }, Ct);

        Assert.Contains("27", response.Text);
        Assert.Equal([4, 8, 15], calls.First().Order());
        Assert.Equal("array", Target.Received[0].GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("numbers").GetProperty("type").GetString());
        var (call, result) = CallAndResult(Target.Received[1], "sum_numbers");
        Assert.Equal("27", result.GetProperty("content").GetString());
        if (!Target.IsLive)
        {
            Assert.Equal("""{"numbers":[4,8,15]}""", call.GetProperty("function").GetProperty("arguments").GetString());
        }
    }

    protected async Task FunctionInvocationParallelCallsCase()
    {
        var cities = new ConcurrentQueue<string>();
        var tool = AIFunctionFactory.Create((string city) =>
        {
            cities.Enqueue(city);
            return city.Contains("Paris", StringComparison.OrdinalIgnoreCase) ? "Sunny, 22 degrees" : "Rainy, 14 degrees";
        }, "get_weather", "Gets the current weather in a city.");
        using var client = FunctionClient();
        var response = await client.GetResponseAsync(
            "What is the weather in Paris and in London? Call get_weather once per city, in parallel.",
            new ChatOptions { Tools = [tool], AllowMultipleToolCalls = true }, Ct);

        Assert.Contains("22", response.Text);
        Assert.Contains("14", response.Text);
        Assert.Contains(cities, c => c.Contains("Paris", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(cities, c => c.Contains("London", StringComparison.OrdinalIgnoreCase));
        Assert.True(Target.Received[0].GetProperty("parallel_tool_calls").GetBoolean());
        if (!Target.IsLive)
        {
            Assert.Equal(2, Target.Received.Count);
            var messages = Target.Received[1].GetProperty("messages").EnumerateArray().ToList();
            var assistant = messages.Single(m => m.GetProperty("role").GetString() == "assistant");
            Assert.Equal(2, assistant.GetProperty("tool_calls").GetArrayLength());
            Assert.Equal(2, messages.Count(m => m.GetProperty("role").GetString() == "tool"));
        }
    }

    protected async Task ToolModeRequireAnyCase()
    {
        var invoked = 0;
        var tool = AIFunctionFactory.Create(() =>
        {
            Interlocked.Increment(ref invoked);
            return 7;
        }, "get_secret_number", "Gets the secret number.");
        using var client = FunctionClient();
        var response = await client.GetResponseAsync("Hello! Tell me something.", new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireAny }, Ct);

        Assert.True(invoked >= 1);
        Assert.Equal("required", Target.Received[0].GetProperty("tool_choice").GetString());
        Assert.Contains(Target.Received[1].GetProperty("messages").EnumerateArray(), m => m.GetProperty("role").GetString() == "tool");
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
    }

    protected async Task ToolModeRequireSpecificCase()
    {
        var invoked = new ConcurrentQueue<string>();
        var weather = AIFunctionFactory.Create((string city) =>
        {
            invoked.Enqueue("get_weather");
            return "Sunny";
        }, "get_weather", "Gets the current weather in a city.");
        var secret = AIFunctionFactory.Create(() =>
        {
            invoked.Enqueue("get_secret_number");
            return 7;
        }, "get_secret_number", "Gets the secret number.");
        using var client = FunctionClient();
        var response = await client.GetResponseAsync("What is the weather in Paris?",
            new ChatOptions { Tools = [weather, secret], ToolMode = ChatToolMode.RequireSpecific("get_secret_number") }, Ct);

        Assert.Equal("get_secret_number", invoked.First());
        var choice = Target.Received[0].GetProperty("tool_choice");
        Assert.Equal("function", choice.GetProperty("type").GetString());
        Assert.Equal("get_secret_number", choice.GetProperty("function").GetProperty("name").GetString());
        if (!Target.IsLive)
        {
            Assert.Equal(["get_secret_number"], invoked);
            Assert.Contains("get_secret_number returned 7", response.Text);
        }
    }

    protected async Task ThirtyToolSchemasAcceptedCase()
    {
        var catalog = new ToolCatalog();
        var tools = catalog.Create();
        using var client = FunctionClient();
        var response = await client.GetResponseAsync("Hello! Just say hi, no tools needed.", new ChatOptions { Tools = [.. tools] }, Ct);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        var declared = Target.Received[0].GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function")).ToList();
        Assert.Equal(tools.Select(t => t.Name), declared.Select(d => d.GetProperty("name").GetString()));
        Assert.All(declared, d => Assert.Equal("object", d.GetProperty("parameters").GetProperty("type").GetString()));
        if (!Target.IsLive)
        {
            Assert.Empty(catalog.Invoked);
            Assert.Single(Target.Received);
        }
    }

    // ---- structured output ---------------------------------------------------------------------------------------

    protected async Task StructuredOutputRecordCase()
    {
        using var client = Target.CreateClient();
        var response = await client.GetResponseAsync<Person>("Alice is 30 years old. Extract her name and age.", cancellationToken: Ct);

        Assert.Equal("Alice", response.Result.Name);
        Assert.Equal(30, response.Result.Age);
        var format = Assert.Single(Target.Received).GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        var properties = format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties");
        Assert.Equal("string", properties.GetProperty("name").GetProperty("type").GetString());
        Assert.Equal("integer", properties.GetProperty("age").GetProperty("type").GetString());
    }

    protected async Task StructuredOutputArrayCase()
    {
        using var client = Target.CreateClient();
        var response = await client.GetResponseAsync<int[]>("Return these prime numbers as a list: 2, 3, 5, 7, 11.", cancellationToken: Ct);

        Assert.Equal([2, 3, 5, 7, 11], response.Result);
        Assert.Equal("array", Schema().GetProperty("properties").GetProperty("data").GetProperty("type").GetString());
    }

    protected async Task StructuredOutputIntCase()
    {
        using var client = Target.CreateClient();
        var response = await client.GetResponseAsync<int>("What is 6 * 7?", cancellationToken: Ct);

        Assert.Equal(42, response.Result);
        Assert.Equal("integer", Schema().GetProperty("properties").GetProperty("data").GetProperty("type").GetString());
    }

    protected async Task StructuredOutputStringCase()
    {
        using var client = Target.CreateClient();
        var response = await client.GetResponseAsync<string>("What is the capital of France? Answer with the city name.", cancellationToken: Ct);

        Assert.Contains("Paris", response.Result);
        Assert.Equal("string", Schema().GetProperty("properties").GetProperty("data").GetProperty("type").GetString());
    }

    protected async Task StructuredOutputBoolCase()
    {
        using var client = Target.CreateClient();
        var response = await client.GetResponseAsync<bool>("Is 7 a prime number? Answer true or false.", cancellationToken: Ct);

        Assert.True(response.Result);
        Assert.Equal("boolean", Schema().GetProperty("properties").GetProperty("data").GetProperty("type").GetString());
    }

    protected async Task StructuredOutputEnumCase()
    {
        using var client = Target.CreateClient();
        var response = await client.GetResponseAsync<Sentiment>("Classify the sentiment of 'I love this library!' as Positive, Negative or Neutral.", cancellationToken: Ct);

        Assert.Equal(Sentiment.Positive, response.Result);
        var data = Schema().GetProperty("properties").GetProperty("data");
        Assert.Equal(["Positive", "Negative", "Neutral"], data.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    // ---- middleware ----------------------------------------------------------------------------------------------

    protected async Task DistributedCachingNonStreamingCase()
    {
        using var client = Target.CreateClient().AsBuilder().UseDistributedCache(NewCache()).Build();
        var first = await client.GetResponseAsync("What is 5 + 5? Reply with just the number.", cancellationToken: Ct);
        var second = await client.GetResponseAsync("What is 5 + 5? Reply with just the number.", cancellationToken: Ct);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.ResponseId, second.ResponseId);
        Assert.Single(Target.Received);
    }

    protected async Task DistributedCachingStreamingCase()
    {
        using var client = Target.CreateClient().AsBuilder().UseDistributedCache(NewCache()).Build();
        var first = await client.GetStreamingResponseAsync("What is 9 + 9? Reply with just the number.", cancellationToken: Ct).ToChatResponseAsync(Ct);
        var second = await client.GetStreamingResponseAsync("What is 9 + 9? Reply with just the number.", cancellationToken: Ct).ToChatResponseAsync(Ct);

        Assert.Contains("18", first.Text);
        Assert.Equal(first.Text, second.Text);
        Assert.Single(Target.Received);
    }

    protected async Task DistributedCachingBeforeFunctionInvocationAvoidsCallsCase()
    {
        var invoked = 0;
        var tool = AIFunctionFactory.Create((string city) => $"Sunny in {city}, call {Interlocked.Increment(ref invoked)}", "get_weather", "Gets the current weather in a city.");
        using var client = Target.CreateClient().AsBuilder().UseDistributedCache(NewCache()).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [tool] };
        var first = await client.GetResponseAsync("What is the weather in Paris? Use the get_weather tool.", options, Ct);
        var requests = Target.Received.Count;
        var second = await client.GetResponseAsync("What is the weather in Paris? Use the get_weather tool.", options, Ct);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(1, invoked);
        Assert.Equal(requests, Target.Received.Count);
    }

    protected async Task DistributedCachingAfterFunctionInvocationSeesNewFunctionOutputCase()
    {
        var invoked = 0;
        var tool = AIFunctionFactory.Create(() => $"The counter is at {Interlocked.Increment(ref invoked) * 100}", "get_counter", "Gets the current counter value.");
        using var client = Target.CreateClient().AsBuilder().UseFunctionInvocation().UseDistributedCache(NewCache()).Build();
        var options = new ChatOptions { Tools = [tool] };
        var first = await client.GetResponseAsync("What is the current counter value? Use the get_counter tool.", options, Ct);
        var requestsAfterFirst = Target.Received.Count;
        var second = await client.GetResponseAsync("What is the current counter value? Use the get_counter tool.", options, Ct);

        Assert.Equal(2, invoked);
        Assert.Contains("100", first.Text);
        Assert.Contains("200", second.Text);

        // The tool-call turn came from the cache; only the turn carrying the new function output reached the server.
        Assert.Equal(requestsAfterFirst + 1, Target.Received.Count);
        Assert.Contains("The counter is at 200", Target.Received[^1].GetRawText());
    }

    protected async Task LoggingHasPromptAndAnswerButNeverTheKeyCase()
    {
        var provider = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        var options = Target.CreateOptions();
        options.LoggerFactory = loggerFactory;
        using var client = new QwenChatClient(options).AsBuilder().UseLogging(loggerFactory).Build();
        var response = await client.GetResponseAsync("What is 8 + 1? Reply with just the number.", cancellationToken: Ct);
        await foreach (var update in client.GetStreamingResponseAsync("What is 8 + 2? Reply with just the number.", cancellationToken: Ct))
        {
        }

        var log = provider.AllText;
        Assert.Contains("What is 8 + 1? Reply with just the number.", log);
        Assert.Contains(response.Text, log);
        Assert.Contains("What is 8 + 2? Reply with just the number.", log);
        Assert.DoesNotContain(Target.ApiKey, log);
        Assert.Equal(2, Target.Received.Count);
    }

    protected async Task OpenTelemetryEmitsChatActivityCase()
    {
        var sourceName = "Qwen.IntegrationTests." + Guid.NewGuid().ToString("N");
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var client = Target.CreateClient().AsBuilder().UseOpenTelemetry(sourceName: sourceName).Build();
        var response = await client.GetResponseAsync("What is 4 + 4? Reply with just the number.", cancellationToken: Ct);

        var activity = Assert.Single(activities);
        Assert.Equal($"chat {Target.ChatModel}", activity.DisplayName);
        Assert.Equal("chat", activity.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("qwen", activity.GetTagItem("gen_ai.provider.name") ?? activity.GetTagItem("gen_ai.system"));
        Assert.Equal(Target.Endpoint.Host, activity.GetTagItem("server.address"));
        Assert.Equal(Target.Endpoint.Port, Convert.ToInt32(activity.GetTagItem("server.port"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(response.Usage!.InputTokenCount, Convert.ToInt64(activity.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(response.Usage.OutputTokenCount, Convert.ToInt64(activity.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(Target.Received);
    }

    protected async Task SummarizingChatReducerKeepsSystemMessageCase()
    {
        using var inner = Target.CreateClient();
        var reducer = new SummarizingChatReducer(inner, targetCount: 2, threshold: 0);
        using var client = inner.AsBuilder().UseChatReducer(reducer).Build();
        List<ChatMessage> history =
        [
            new(ChatRole.System, "You are a concise math tutor."),
            new(ChatRole.User, "My name is Bob."),
            new(ChatRole.Assistant, "Nice to meet you, Bob."),
            new(ChatRole.User, "I like prime numbers."),
            new(ChatRole.Assistant, "Primes are great."),
            new(ChatRole.User, "I also like squares."),
            new(ChatRole.Assistant, "Squares are nice too."),
            new(ChatRole.User, "What is 10 + 5? Reply with just the number."),
        ];
        var response = await client.GetResponseAsync(history, cancellationToken: Ct);

        Assert.Contains("15", response.Text);
        Assert.Equal(2, Target.Received.Count);
        var final = Target.Received[^1].GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("system", final[0].GetProperty("role").GetString());
        Assert.Equal("You are a concise math tutor.", final[0].GetProperty("content").GetString());
        Assert.Equal("What is 10 + 5? Reply with just the number.", final[^1].GetProperty("content").GetString());
        Assert.True(final.Count < history.Count, "the reducer should have shortened the history");
        Assert.DoesNotContain(final, m => RecordedText(m) == "My name is Bob.");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private IChatClient FunctionClient() => Target.CreateClient().AsBuilder().UseFunctionInvocation().Build();

    private static IDistributedCache NewCache() => new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));

    private JsonElement Schema() => Assert.Single(Target.Received).GetProperty("response_format").GetProperty("json_schema").GetProperty("schema");

    /// <summary>The assistant tool call named <paramref name="name"/> in a follow-up request, and the tool message answering it.</summary>
    private static (JsonElement Call, JsonElement Result) CallAndResult(JsonElement body, string name)
    {
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        var call = messages.Where(m => m.GetProperty("role").GetString() == "assistant" && m.TryGetProperty("tool_calls", out _))
            .SelectMany(m => m.GetProperty("tool_calls").EnumerateArray())
            .First(c => c.GetProperty("function").GetProperty("name").GetString() == name);
        var id = call.GetProperty("id").GetString();
        var result = messages.Single(m => m.GetProperty("role").GetString() == "tool" && m.GetProperty("tool_call_id").GetString() == id);
        return (call, result);
    }

    private static string RecordedText(JsonElement message) =>
        !message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null ? string.Empty
        : content.ValueKind == JsonValueKind.String ? content.GetString()!
        : string.Concat(content.EnumerateArray().Where(p => p.TryGetProperty("text", out _)).Select(p => p.GetProperty("text").GetString()));

    public sealed record Person(string Name, int Age);

    public sealed record Address(string Street, string City);

    public sealed record Order(string Item, int Quantity, Address ShipTo);

    public enum Sentiment
    {
        Positive,
        Negative,
        Neutral,
    }
}
