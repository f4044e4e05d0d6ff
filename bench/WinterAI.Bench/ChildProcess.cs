using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace WinterAI.Bench;

/// <summary>
/// A process the bench started (WinterAI, redis-server), its output written to a log file. Every child is listed in
/// a pid file as well, so <c>run.sh</c> can kill what a crashed or SIGKILLed bench left behind.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, ChildProcess> Running = new();
    private static string? pidFile;

    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Lock logGate = new();
    private bool closed;
    private readonly Lock killGate = new();
    private bool disposed;

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        this.process = process;
        this.log = log;
        Id = process.Id;
    }

    public string Name { get; }

    /// <summary>Kept apart from the Process object, which stops answering once disposed.</summary>
    public int Id { get; }

    public bool HasExited => process.HasExited;

    public string LogPath => ((FileStream)log.BaseStream).Name;

    /// <summary>Where children's pids are listed, one a line, while they run.</summary>
    public static void UsePidFile(string path)
    {
        pidFile = path;
        File.WriteAllText(path, "");
    }

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath, string? workingDirectory = null)
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

        // Inherited settings must not leak into the instances under test: only what the bench sets counts.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("WeChat__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("Dify__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Redis__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("Limits__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Messages__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var child = new ChildProcess(name, process, log);
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

    /// <summary>Safe to call from a signal handler while the run disposes the same child.</summary>
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
    public string Tail(int lines = 30)
    {
        lock (logGate)
        {
            if (!closed)
            {
                log.Flush();
            }
        }

        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
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
            if (!closed)
            {
                log.WriteLine(line);
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
            // run.sh's clean-up is a safety net; the bench kills its children itself.
        }
    }

    /// <summary>
    /// SIGTERM first, so the process shuts down as it would under an orchestrator and its last log lines are written;
    /// SIGKILL if it has not exited within <paramref name="grace"/>.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            if (!process.HasExited && SendSignal(Id, SigTerm) == 0)
            {
                using var timeout = new CancellationTokenSource(grace);
                await process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        Kill();
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        await process.WaitForExitAsync();
        lock (logGate)
        {
            closed = true;
            log.Dispose();
        }

        lock (killGate)
        {
            disposed = true;
            process.Dispose();
        }
    }
}
