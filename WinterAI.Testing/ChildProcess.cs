using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace WinterAI.Testing;

/// <summary>
/// A process started for a test or the bench (WinterAI, redis-server), its output kept in memory or written to a
/// log file. Every child is listed in a pid file as well once <see cref="UsePidFile"/> names one, so a script can
/// kill what a crashed or SIGKILLed parent left behind.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, ChildProcess> Running = new();
    private static string? pidFile;

    private readonly Process process;
    private readonly StreamWriter? log;
    private readonly StringBuilder? memory;
    private readonly TimeSpan shutdownGrace;
    private readonly Lock logGate = new();
    private bool closed;
    private readonly Lock killGate = new();
    private bool disposed;

    private ChildProcess(string name, Process process, StreamWriter? log, TimeSpan shutdownGrace)
    {
        Name = name;
        this.process = process;
        this.log = log;
        memory = log is null ? new StringBuilder() : null;
        this.shutdownGrace = shutdownGrace;
        Id = process.Id;
    }

    public string Name { get; }

    /// <summary>Kept apart from the Process object, which stops answering once disposed.</summary>
    public int Id { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The log file, or null when the output is kept in memory.</summary>
    public string? LogPath => log is null ? null : ((FileStream)log.BaseStream).Name;

    /// <summary>Everything the process wrote so far, standard output and error interleaved as they arrived.</summary>
    public string Output
    {
        get
        {
            lock (logGate)
            {
                if (memory is not null)
                {
                    return memory.ToString();
                }

                if (!closed)
                {
                    log!.Flush();
                }
            }

            try
            {
                using var reader = new StreamReader(new FileStream(LogPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                return reader.ReadToEnd();
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    /// <summary>Where children's pids are listed, one a line, while they run.</summary>
    public static void UsePidFile(string path)
    {
        pidFile = path;
        File.WriteAllText(path, "");
    }

    /// <summary>
    /// Starts <paramref name="fileName"/>. <paramref name="environment"/> is laid over the inherited one; a null value
    /// removes an inherited variable. Without <paramref name="logPath"/> the output is kept in memory.
    /// <paramref name="shutdownGrace"/> is how long <see cref="DisposeAsync"/> lets the process exit after SIGTERM
    /// before killing it; zero kills it at once.
    /// </summary>
    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        string? logPath = null,
        string? workingDirectory = null,
        TimeSpan shutdownGrace = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var log = logPath is null ? null : new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var child = new ChildProcess(name, process, log, shutdownGrace);
        Running[child.Id] = child;
        WritePidFile();
        process.OutputDataReceived += (_, e) => child.Write(e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Kills every child still running: on exit, on Ctrl+C, on SIGTERM, on failure.</summary>
    public static void KillAll()
    {
        foreach (var child in Running.Values)
        {
            child.Kill();
        }
    }

    /// <summary>SIGKILL, as a crash would. Safe to call from a signal handler while the owner disposes the same child.</summary>
    public void Kill()
    {
        lock (killGate)
        {
            try
            {
                if (!disposed && !process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        Running.TryRemove(new KeyValuePair<int, ChildProcess>(Id, this));
        WritePidFile();
    }

    /// <summary>The last lines of the child's output, for error messages.</summary>
    public string Tail(int lines = 30) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    /// <summary>Sends a signal by name (<c>TERM</c>, <c>STOP</c>, <c>CONT</c>) with <c>kill</c>.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {Id} ({Name}) failed with exit code {kill.ExitCode}.");
        }
    }

    /// <summary>Waits for a short-lived process (a command-line tool) to exit by itself.</summary>
    public Task WaitForExitAsync(CancellationToken ct) => process.WaitForExitAsync(ct);

    /// <summary>
    /// SIGTERM, as docker stop or systemd would send, then waits for the process to exit by itself; throws
    /// <see cref="TimeoutException"/> if it has not within <paramref name="deadline"/>.
    /// </summary>
    public async Task TerminateAsync(TimeSpan deadline)
    {
        if (!process.HasExited)
        {
            await SignalAsync("TERM");
        }

        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {deadline} of SIGTERM.");
        }
    }

    /// <summary>
    /// SIGTERM first, so the process shuts down as it would under an orchestrator and its last log lines are written;
    /// SIGKILL if it has not exited within <paramref name="grace"/>.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (grace > TimeSpan.Zero)
        {
            try
            {
                await TerminateAsync(grace);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                // Killed below.
            }
        }

        Kill();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(shutdownGrace);
        await process.WaitForExitAsync();
        lock (logGate)
        {
            closed = true;
            log?.Dispose();
        }

        lock (killGate)
        {
            disposed = true;
            process.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (logGate)
        {
            if (closed)
            {
                return;
            }

            if (memory is not null)
            {
                memory.AppendLine(line);
            }
            else
            {
                log!.WriteLine(line);
            }
        }
    }

    private static void WritePidFile()
    {
        if (pidFile is null)
        {
            return;
        }

        try
        {
            File.WriteAllLines(pidFile, Running.Keys.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        }
        catch (IOException)
        {
            // The script's clean-up is a safety net; the parent kills its children itself.
        }
    }
}
