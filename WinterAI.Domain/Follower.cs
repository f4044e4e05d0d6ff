
namespace WinterAI.Domain;

/// <summary>One person on one account: an official-account openid or a WeCom UserID.</summary>
public sealed record Follower(string Account, string Id)
{
    /// <summary>Dify's end-user id: stable per account + follower, so two accounts never share a conversation.</summary>
    public string DifyUser => $"{Account}:{Id}";
}
