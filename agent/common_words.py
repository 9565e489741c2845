"""Words that start sentences in prompts and e-mails but are no names: a capitalised sentence start from
this list (or spaCy's stop words) does not by itself send its sentence to NER (agent/nlp.py).

A word missing here only costs time (its neighbourhood goes through NER for nothing); a name wrongly listed
here is found anyway when a neighbour is capitalised too ("Will Smith"), so the list errs on the short side.
"""

COMMON_SENTENCE_STARTS = frozenset(
    """
    hi hello hey dear thanks thank cheers regards best sincerely greetings good morning afternoon evening
    yes yeah yep no nope ok okay sure right well great perfect fine cool awesome sorry oops note notes
    update updated fyi btw ps re fw fwd subject summary summarise summarize summarising background context
    write rewrite draft create make generate build add remove delete fix change convert translate explain
    describe list show tell give find help check review compare analyse analyze improve optimise optimize
    refactor debug test run use read look find try let lets send forward reply respond answer ask share
    provide include consider assume imagine suppose act pretend format turn keep put take bring start stop
    continue finish complete split merge sort filter extract parse calculate compute count estimate
    identify classify rank rate score evaluate suggest recommend propose outline plan prepare schedule
    book cancel confirm remind attach attached attaching please kindly just also here there this that these
    those it its i'm im we're we'll i'll i've i'd you're they're it's that's there's here's what's how's
    what how why when where which who whose whom whether if unless although though because since while
    after before during until once then now today tomorrow yesterday tonight currently recently later
    soon finally first second third next last previously additionally also furthermore moreover however
    therefore thus hence meanwhile otherwise instead besides overall basically actually honestly
    unfortunately fortunately hopefully ideally apparently obviously clearly generally usually typically
    sometimes often maybe perhaps possibly probably certainly definitely absolutely anyway anyways
    our my your their his her its the a an some any every each all both either neither none most many
    several few more less other another such same new old current existing previous following above below
    step steps example examples input output result results error errors warning warnings question questions
    answer issue issues problem problems task tasks goal goals requirement requirements item items point
    points option options section part chapter table figure page file files document documents report
    reports email emails message messages meeting meetings call calls agenda minutes action actions
    decision decisions status progress feedback comments comment response request requests ticket tickets
    customer customers client clients user users team teams manager staff employee employees everyone
    nobody someone anyone somebody anybody people person company department project projects product
    products service services data code function class method variable value values key keys number
    numbers name names date dates time times price prices cost costs total amount account accounts order
    orders invoice invoices payment payments contract contracts policy policies rule rules process system
    systems server servers database app application api version release build deployment config
    configuration settings log logs note important urgent reminder warning caution attention done todo
    tbd n/a na yes
    monday tuesday wednesday thursday friday saturday sunday
    january february march july september october november december
    export exporting import importing forwarding sending following regarding looking hoping wondering going
    trying working using adding updating copying pasting
    retro retrospective standup stand-up postmortem post-mortem kickoff sync onboarding offboarding changelog
    roadmap backlog sprint recap
    """.split()
)

# Capitalised anywhere, these are dates and greetings, never PERSON / LOCATION / ORGANIZATION.
NEVER_CANDIDATES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    january february march july september october november december jan feb mar apr jun jul aug sep sept
    oct nov dec i i'm i've i'll i'd ok okay
    """.split()
)

# Forms of address. Alone they name nobody ("Dear Sir or Madam"); before a name they say it is a person.
HONORIFICS = frozenset(
    """
    mr mrs ms miss mx dr prof sir madam madame ma'am dame lady lord mister herr frau mme mlle mrs. señor
    señora sr sra srta sig sig.ra signor signora dott
    """.split()
)

# Capitalised words that label, address or describe people, places and companies without naming any: form
# labels ("Traveller:", "Beneficiary:"), roles, job words, greetings' objects ("Hi team"). A phrase made only
# of these (and the lists above) is not a name, wherever a cue points at it.
NOT_NAMES = frozenset(
    """
    all everyone everybody team teams folks guys there world friend friends support admin administrator
    sales marketing finance legal accounts accounting hr it ops engineering management board committee
    traveller traveler passenger guest beneficiary applicant tenant landlord patient employee employer
    member student candidate recipient sender owner holder cardholder insured claimant policyholder driver
    contact reference references attendee attendees participant participants speaker organiser organizer
    author reporter assignee reviewer approver witness spouse partner parent guardian child
    director officer engineer developer designer analyst consultant specialist coordinator assistant
    secretary clerk agent representative rep lead head chief president vice ceo cto cfo coo founder
    owner intern trainee nurse doctor physician surgeon dentist teacher lawyer attorney solicitor
    accountant technician operator supervisor administrator
    unknown none null nil n/a tbd tba various other others anonymous test demo sample example dummy
    default system bot service services user users guest guests
    name names first last full surname address street city town country state region location place
    phone mobile cell tel fax email e-mail mail web website url id number no nr ref dob date birth
    office home work remote hybrid onsite online headquarters hq building floor room desk site campus
    department dept division unit branch
    pros cons tip tips hint hints step steps summary context goal goals notes note todo
    morning afternoon evening night
    production staging prod sandbox reception frontdesk helpdesk
    happy glad sorry sure excited ready available unavailable busy fine interested confused stuck curious
    """.split()
)

# Technology and product names that developers' prompts are full of. The small model often labels them as
# places or organisations ("Python" a LOCATION, "Flask" a LOCATION); they are never personal data, so they
# neither open an NER window nor count as an entity. Words that are also first names or surnames (Ruby,
# Claude, Swift) are left out on purpose.
TECH_TERMS = frozenset(
    """
    python java javascript typescript golang rust php perl kotlin scala haskell elixir erlang
    clojure lua bash powershell sql nosql html css json yaml toml xml markdown regex graphql grpc rest
    react angular vue svelte nextjs next.js nuxt django flask fastapi rails laravel node
    node.js nodejs deno jquery bootstrap tailwind webpack vite babel eslint prettier jest pytest junit
    numpy pandas scipy matplotlib jupyter pytorch tensorflow keras sklearn scikit-learn spacy presidio
    linux ubuntu debian fedora centos alpine windows macos ios android chrome chromium firefox safari
    docker kubernetes helm terraform ansible jenkins nginx apache redis postgres postgresql mysql sqlite
    mongodb mariadb elasticsearch kafka rabbitmq celery airflow spark hadoop snowflake bigquery redshift
    aws azure gcp s3 ec2 lambda cloudfront heroku vercel netlify firebase supabase cloudflare
    git github gitlab bitbucket jira confluence slack zoom excel powerpoint outlook sharepoint
    onedrive dropbox notion trello figma sketch photoshop chatgpt openai gemini copilot llama
    mistral gpt gpt-4 llm api sdk cli ide vscode vim emacs intellij pycharm xcode npm pip yarn conda
    homebrew maven gradle cargo nuget oauth jwt saml ssl tls https http ssh ftp dns tcp udp ip
    ipv4 ipv6 wifi wi-fi bluetooth usb vpn sso mfa 2fa crm erp saas paas iaas cdn cpu gpu ram ssd
    whatsapp telegram wechat skype webex gmail hotmail icloud youtube instagram facebook linkedin tiktok
    reddit salesforce hubspot zendesk shopify stripe paypal venmo zelle iphone ipad macbook android
    """.split()
)
