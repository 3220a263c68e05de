using BenchmarkDotNet.Running;
using Qwen.Extensions.AI.Benchmarks;

// dotnet run -c Release --project benchmarks/Qwen.Extensions.AI.Benchmarks -- --filter '*'
//   --smoke         one pass of every case and contender, no timing (what CI runs through the tests)
//   --image-memory  allocation for a request with a large image, Qwen vs OpenAIChatClient
//   --chunk-allocations  exact bytes per streamed text chunk, Qwen vs OpenAIChatClient
//   --e2e           end to end over loopback against the emulator: first update and throughput at 1, 16, 64 streams
//   --allocation-split, --profile  where the non-streaming allocations and the stream time go
if (args.Contains("--smoke"))
{
    foreach (var result in await Smoke.RunAllAsync())
    {
        Console.WriteLine(result);
    }

    return 0;
}

if (args.Contains("--image-memory"))
{
    foreach (var line in await ImageMemory.MeasureAsync())
    {
        Console.WriteLine(line);
    }

    return 0;
}

if (args.Contains("--chunk-allocations"))
{
    foreach (var line in ChunkAllocations.Measure())
    {
        Console.WriteLine(line);
    }

    return 0;
}

if (args.Contains("--e2e"))
{
    var results = await EndToEnd.RunAsync(log: Console.Out);
    Console.WriteLine();
    Console.Write(EndToEnd.ToMarkdown(results));
    return 0;
}

if (args.Contains("--allocation-split"))
{
    foreach (var line in await AllocationSplit.MeasureAsync())
    {
        Console.WriteLine(line);
    }

    return 0;
}

if (args.Contains("--profile"))
{
    foreach (var line in await Profile.RunAsync())
    {
        Console.WriteLine(line);
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, new BenchmarkConfig());
return 0;
