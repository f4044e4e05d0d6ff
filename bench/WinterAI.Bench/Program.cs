using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using WinterAI.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

// Hundreds of followers each hold a delivery open for up to 5 s; never let the pool's slow growth delay a send.
ThreadPool.SetMinThreads(512, 512);

var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var runDirectory = Path.Combine(options.ResultsDirectory, stamp);
Directory.CreateDirectory(runDirectory);
ChildProcess.UsePidFile(Path.Combine(options.ResultsDirectory, "children.pid"));

using var cancel = new CancellationTokenSource();
void Abort(PosixSignalContext context)
{
    context.Cancel = true;
    Console.Error.WriteLine($"{context.Signal}: stopping and killing child processes.");
    cancel.Cancel();
    ChildProcess.KillAll();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Abort);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Abort);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Abort);
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();

using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 10_000,
    UseProxy = false,
    ConnectTimeout = TimeSpan.FromSeconds(5),
    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
})
{
    Timeout = Timeout.InfiniteTimeSpan,
};

var reports = new List<ConfigurationReport>();
try
{
    foreach (var configuration in options.Configurations)
    {
        var report = await new ConfigurationRun(configuration, options, http, runDirectory).RunAsync(cancel.Token);
        reports.Add(report);
        await File.WriteAllTextAsync(Path.Combine(runDirectory, $"{configuration.Name}-timelines.txt"), report.AllTimelines(), cancel.Token);
        Console.Error.WriteLine($"[{configuration.Name}] done: {(report.Passed ? "PASS" : "FAIL")}");
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"The bench failed: {ex}");
    return 1;
}
finally
{
    ChildProcess.KillAll();
}

var markdown = Render(options, reports, runDirectory);
Console.WriteLine(markdown);
var reportPath = Path.Combine(options.ResultsDirectory, $"bench-{stamp}.md");
await File.WriteAllTextAsync(reportPath, markdown);
Console.Error.WriteLine($"Report written to {reportPath}; logs and timelines in {runDirectory}");
return reports.All(r => r.Passed) ? 0 : 1;

static string Render(BenchOptions options, IReadOnlyList<ConfigurationReport> reports, string runDirectory)
{
    var text = new StringBuilder();
    text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"# WinterAI benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC"));
    text.AppendLine();
    text.AppendLine(string.Create(CultureInfo.InvariantCulture,
        $"{options.Followers} followers, one question each, first deliveries spread over {options.Ramp.TotalSeconds:0.#} s; Dify latency uniform over " +
        $"{BenchQuestion.MinLatencyMs / 1000.0:0.0}–{BenchQuestion.MaxLatencyMs / 1000.0:0.0} s (seed {options.Seed}); WeChat abandons each delivery after 5 s and delivers up to 3 times; safe mode."));
    if (options.Overrides.Count > 0)
    {
        text.AppendLine($"WinterAI settings overridden with --set: {string.Join(", ", options.Overrides.Select(o => $"`{o.Key}={o.Value}`"))}.");
    }

    text.AppendLine($"Machine: {Machine.Describe()}.");
    text.AppendLine();
    text.AppendLine(ConfigurationReport.TableHeader);
    foreach (var report in reports)
    {
        text.AppendLine(report.TableRow());
    }

    text.AppendLine();
    text.AppendLine(reports.All(r => r.Passed)
        ? "**PASS**: no duplicate Dify call, no lost answer, no wrong reply, every answer with Dify latency ≤ 13.5 s delivered passively."
        : $"**FAIL** in {string.Join(", ", reports.Where(r => !r.Passed).Select(r => r.Configuration.Name))}: see the details below.");
    foreach (var report in reports)
    {
        text.AppendLine();
        text.AppendLine($"## {report.Configuration.Name}: {report.Configuration.Description}");
        text.AppendLine();
        text.AppendLine(report.LatencyBands());
        text.Append(report.Details());
    }

    text.AppendLine();
    text.AppendLine($"Logs and per-follower timelines: `{Path.GetRelativePath(Directory.GetCurrentDirectory(), runDirectory)}`.");
    return text.ToString();
}
