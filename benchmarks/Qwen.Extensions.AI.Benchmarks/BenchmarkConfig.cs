using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;
using Perfolizer.Metrology;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>
/// One short job (1 launch, 4 warmups, 12 measured iterations of ~250 ms) so the whole suite runs in a few minutes on a shared
/// 2-core machine; medians, ratios to the baseline and allocations; CSV in µs and bytes for scripts/plot-benchmarks.py.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(4)
            .WithIterationCount(12)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("Short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median);
        var style = SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond).WithSizeUnit(SizeUnit.B);
        SummaryStyle = style;
        AddExporter(new CsvExporter(CsvSeparator.Comma, style));
        AddExporter(JsonExporter.Full);
        AddExporter(MarkdownExporter.GitHub);
        WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared));
    }
}
