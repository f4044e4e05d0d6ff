namespace WinterAI.Testing;

/// <summary>redis-server is not installed: tests that need it are skipped, saying so; the bench stops.</summary>
public sealed class RedisServerNotFoundException(string message) : Exception(message);
