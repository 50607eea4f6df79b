"""What the whole house shares, whichever app a page belongs to.

The household's roles (member, treasurer) and who counts as a member; the housemates' logins;
unlocking a locked-out login; the text rules every name and email obeys; database locks and
optimistic saves that every app's writes use; the timestamped base of the tables. These sit
below every app. The household backup, which reads every app, is the `backup` app at the top.

rent, the handbook, the API and the project package all ask these modules; none of them asks
an app's internals for these rules. It has no models of its own: the roles are Django groups,
made after every migrate by one `post_migrate` handler (`roles.ensure_household_roles`).
"""
