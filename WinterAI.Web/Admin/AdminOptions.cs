namespace WinterAI.Web.Admin;

/// <summary>The <c>Admin</c> configuration section.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The key every admin call must send as <c>X-Admin-Key</c>. Empty (the default): the admin API refuses every call.</summary>
    public string ApiKey { get; set; } = "";
}
