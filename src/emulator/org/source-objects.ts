// The emulated org's objects: one for each collection of the Segment Salesforce source (seed 000's
// table), every object the product ships a description for (Order among them), and one custom
// object. Field facts follow Salesforce's own describe output — which recording or document each
// object's facts came from is in ./README.md. A source sync meets realistic system fields: history
// rows have only CreatedDate, share rows only LastModifiedDate, Period only SystemModstamp, Name none
// and is not queryable — so a sync's cursor choice (SystemModstamp > LastModifiedDate > CreatedDate >
// full refresh) is exercised.

import { parseFieldSpec } from './field-spec.js';
import { labelOf, type CreateRequirement, type FieldMetadata, type ObjectMetadata } from './metadata.js';

/** Which of the audit fields an object has. */
type SystemSet = 'full' | 'created' | 'createdStamp' | 'modified' | 'modifiedStamp' | 'stamp' | 'none';

const SYSTEM: Record<SystemSet, string> = {
  full: 'IsDeleted CreatedDate CreatedById LastModifiedDate LastModifiedById SystemModstamp',
  created: 'IsDeleted CreatedDate CreatedById',
  createdStamp: 'IsDeleted CreatedDate CreatedById SystemModstamp',
  modified: 'IsDeleted LastModifiedDate LastModifiedById',
  modifiedStamp: 'LastModifiedDate LastModifiedById SystemModstamp',
  stamp: 'SystemModstamp',
  none: '',
};

const SYSTEM_FIELDS: Record<string, FieldMetadata> = {
  IsDeleted: { name: 'IsDeleted', type: 'boolean', readOnly: true },
  CreatedDate: { name: 'CreatedDate', type: 'datetime', readOnly: true },
  CreatedById: {
    name: 'CreatedById',
    type: 'reference',
    referenceTo: ['User'],
    readOnly: true,
    relationshipName: 'CreatedBy',
  },
  LastModifiedDate: { name: 'LastModifiedDate', type: 'datetime', readOnly: true },
  LastModifiedById: {
    name: 'LastModifiedById',
    type: 'reference',
    referenceTo: ['User'],
    readOnly: true,
    relationshipName: 'LastModifiedBy',
  },
  SystemModstamp: { name: 'SystemModstamp', type: 'datetime', readOnly: true },
};

interface SourceObject {
  name: string;
  keyPrefix: string;
  labelPlural: string;
  system?: SystemSet;
  queryable?: boolean;
  createRequires?: CreateRequirement[];
  fields: string;
}

const LEAD_SOURCE = 'picklist[Web|Phone Inquiry|Partner Referral|Purchased List|Other]';
const INDUSTRY =
  'picklist[Agriculture|Banking|Biotechnology|Chemicals|Communications|Construction|Consulting|Education|Electronics|Energy|Engineering|Finance|Healthcare|Insurance|Media|Retail|Technology|Transportation|Utilities|Other]';
const TAG = (item: string): string => `
  ItemId ref(${item})
  Name string(100)
  TagDefinitionId ref(TagDefinition)
  Type picklist[Public|Personal]`;

const OBJECTS: SourceObject[] = [
  {
    name: 'Account',
    keyPrefix: '001',
    labelPlural: 'Accounts',
    fields: `
    Name string(255) name req
    Type picklist[Prospect|Customer - Direct|Customer - Channel|Channel Partner / Reseller|Installation Partner|Technology Partner|Other] len="40"
    ParentId ref(Account)
    _ address(Billing)
    _ address(Shipping)
    Phone phone
    Fax phone
    AccountNumber string(40)
    Website url
    Sic string(20)
    Industry ${INDUSTRY} len="40"
    AnnualRevenue currency(18,0)
    NumberOfEmployees int
    Ownership picklist[Public|Private|Subsidiary|Other] len="40"
    TickerSymbol string(20)
    Description textarea(32000)
    Rating picklist[Hot|Warm|Cold] len="40"
    Site string(80)
    OwnerId ref(User) dflt
    LastActivityDate date ro
    AccountSource ${LEAD_SOURCE} len="40"
    Customer_Tier__c picklist[Bronze|Silver|Gold|Platinum]
    Segments__c multipicklist[SMB|Mid-Market|Enterprise|Public Sector]
    HQ_Location__c location
    SLA_Expiration__c date
    Health_Score__c double calc="IF(ISPICKVAL(Rating, 'Hot'), 90, 50)"
    MasterRecordId ref(Account) ro
    LastViewedDate datetime ro
    LastReferencedDate datetime ro
    RecordTypeId ref(RecordType)
    CurrencyIsoCode picklist[] len="3"
    Division ref(Division)
    SicDesc string(80)
    OperatingHoursId ref(OperatingHours)
    BillingStateCode picklist[] len="10"
    BillingCountryCode picklist[] len="10"
    ShippingStateCode picklist[] len="10"
    ShippingCountryCode picklist[] len="10"
    PhotoUrl url ro
    Jigsaw string(20)
    JigsawCompanyId string(20) ro
    CleanStatus picklist[] len="40"
    DunsNumber string(9)
    Tradestyle string(255)
    NaicsCode string(8)
    NaicsDesc string(120)
    YearStarted string(4)
    DandbCompanyId ref(DandBCompany)
    IsPersonAccount boolean ro
    PersonContactId ref(Contact) ro
    Salutation picklist[] len="40"
    FirstName string(40)
    LastName string(80)
    PersonEmail email
    PersonMobilePhone phone
    PersonHomePhone phone
    PersonBirthdate date
    PersonTitle string(80)
    PersonMailingStreet textarea(255)
    PersonMailingCity string(40)
    PersonMailingState string(80)
    PersonMailingPostalCode string(20)
    PersonMailingCountry string(80)
    PersonLeadSource picklist[]
    PersonHasOptedOutOfEmail boolean`,
  },
  {
    name: 'AccountContactRole',
    keyPrefix: '02Z',
    labelPlural: 'Account Contact Roles',
    fields: `
    AccountId ref(Account) createonly req
    ContactId ref(Contact) req
    Role picklist[Business User|Decision Maker|Economic Buyer|Economic Decision Maker|Evaluator|Executive Sponsor|Influencer|Technical Buyer|Other]
    IsPrimary boolean`,
  },
  { name: 'AccountTag', keyPrefix: '0tA', labelPlural: 'Account Tags', system: 'createdStamp', fields: TAG('Account') },
  {
    name: 'Campaign',
    keyPrefix: '701',
    labelPlural: 'Campaigns',
    fields: `
    Name string(80) name req
    ParentId ref(Campaign)
    Type picklist[Conference|Webinar|Trade Show|Public Relations|Partners|Referral Program|Advertisement|Banner Ads|Direct Mail|Email|Telemarketing|Other]
    Status picklist[Planned|In Progress|Completed|Aborted]
    StartDate date
    EndDate date
    ExpectedRevenue currency
    BudgetedCost currency
    ActualCost currency
    ExpectedResponse percent
    NumberSent double
    IsActive boolean
    Description textarea(32000)
    NumberOfLeads int ro
    NumberOfContacts int ro
    NumberOfResponses int ro
    NumberOfOpportunities int ro
    AmountAllOpportunities currency ro
    OwnerId ref(User) dflt`,
  },
  {
    name: 'CampaignMember',
    keyPrefix: '00v',
    labelPlural: 'Campaign Members',
    fields: `
    CampaignId ref(Campaign) createonly req
    LeadId ref(Lead) createonly
    ContactId ref(Contact) createonly
    Status picklist[Planned|Received|Responded|Sent]
    HasResponded boolean ro
    FirstRespondedDate date ro`,
  },
  {
    name: 'CampaignShare',
    keyPrefix: '08s',
    labelPlural: 'Campaign Share',
    system: 'modified',
    fields: `
    CampaignId ref(Campaign)
    UserOrGroupId ref(User|Group)
    CampaignAccessLevel picklist[Read|Edit|All]
    RowCause picklist[Owner|Manual|Rule|ImplicitChild|ImplicitParent|Team|Territory]`,
  },
  {
    name: 'CampaignTag',
    keyPrefix: '0tB',
    labelPlural: 'Campaign Tags',
    system: 'createdStamp',
    fields: TAG('Campaign'),
  },
  {
    name: 'Case',
    keyPrefix: '500',
    labelPlural: 'Cases',
    fields: `
    CaseNumber string(30) name ro idlookup
    ContactId ref(Contact)
    AccountId ref(Account)
    ParentId ref(Case)
    SuppliedName string(80)
    SuppliedEmail email
    SuppliedPhone string(40)
    SuppliedCompany string(80)
    Type picklist[Mechanical|Electrical|Electronic|Structural|Other] len="40"
    Status picklist[New|Working|Escalated|Closed] len="40"
    Reason picklist[Installation|Equipment Complexity|Performance|Breakdown|Equipment Design|Feedback|Other] len="40"
    Origin picklist[Phone|Email|Web] len="40"
    Subject string(255)
    Priority picklist[High|Medium|Low] len="40"
    Description textarea(32000)
    IsClosed boolean ro
    ClosedDate datetime ro
    IsEscalated boolean
    OwnerId ref(User|Group) dflt
    MasterRecordId ref(Case) ro
    LastViewedDate datetime ro
    LastReferencedDate datetime ro
    RecordTypeId ref(RecordType)
    CurrencyIsoCode picklist[] len="3"
    Division ref(Division)
    AssetId ref(Asset)
    BusinessHoursId ref(BusinessHours)
    EntitlementId ref(Entitlement)
    ServiceContractId ref(ServiceContract)
    Language picklist[] len="40"
    IsClosedOnCreate boolean ro
    SlaStartDate datetime
    SlaExitDate datetime ro
    IsStopped boolean
    StopStartDate datetime ro
    ContactPhone phone ro
    ContactMobile phone ro
    ContactEmail email ro
    ContactFax phone ro`,
  },
  {
    name: 'CaseComment',
    keyPrefix: '00a',
    labelPlural: 'Case Comments',
    fields: `
    ParentId ref(Case) createonly req
    IsPublished boolean
    CommentBody textarea(4000) nofilter nosort`,
  },
  {
    name: 'CaseContactRole',
    keyPrefix: '03j',
    labelPlural: 'Case Contact Roles',
    fields: `
    CasesId ref(Case) createonly req
    ContactId ref(Contact) req
    Role picklist[Technical Contact|Business Contact|Decision Maker|Other]`,
  },
  {
    name: 'CaseSolution',
    keyPrefix: '010',
    labelPlural: 'Case Solutions',
    system: 'createdStamp',
    fields: `
    CaseId ref(Case)
    SolutionId ref(Solution)`,
  },
  { name: 'CaseTag', keyPrefix: '0tC', labelPlural: 'Case Tags', system: 'createdStamp', fields: TAG('Case') },
  {
    name: 'Contact',
    keyPrefix: '003',
    labelPlural: 'Contacts',
    fields: `
    AccountId ref(Account)
    LastName string(80) req
    FirstName string(40)
    Salutation picklist[Mr.|Ms.|Mrs.|Dr.|Prof.] len="40"
    Name string(121) name ro
    _ address(Mailing)
    Phone phone
    MobilePhone phone
    Email email idlookup
    Title string(128)
    Department string(80)
    LeadSource ${LEAD_SOURCE}
    Birthdate date
    Description textarea(32000)
    ReportsToId ref(Contact)
    OwnerId ref(User) dflt
    HasOptedOutOfEmail boolean
    DoNotCall boolean
    LastActivityDate date ro
    Photo_Thumbnail__c base64
    MasterRecordId ref(Contact) ro
    LastCURequestDate datetime ro
    LastCUUpdateDate datetime ro
    LastViewedDate datetime ro
    LastReferencedDate datetime ro
    RecordTypeId ref(RecordType)
    CurrencyIsoCode picklist[] len="3"
    IndividualId ref(Individual)
    MiddleName string(40)
    Suffix string(40)
    MailingStateCode picklist[] len="10"
    MailingCountryCode picklist[] len="10"
    _ address(Other)
    OtherStateCode picklist[] len="10"
    OtherCountryCode picklist[] len="10"
    Fax phone
    HomePhone phone
    OtherPhone phone
    AssistantName string(40)
    AssistantPhone phone
    PhotoUrl url ro
    HasOptedOutOfFax boolean
    EmailBouncedReason string(255)
    EmailBouncedDate datetime
    IsEmailBounced boolean ro
    Jigsaw string(20)
    JigsawContactId string(20) ro
    CleanStatus picklist[] len="40"`,
  },
  { name: 'ContactTag', keyPrefix: '0tD', labelPlural: 'Contact Tags', system: 'createdStamp', fields: TAG('Contact') },
  {
    name: 'Contract',
    keyPrefix: '800',
    labelPlural: 'Contracts',
    fields: `
    AccountId ref(Account) req
    Pricebook2Id ref(Pricebook2)
    OwnerExpirationNotice picklist[15|30|45|60|90|120]
    StartDate date
    EndDate date ro
    _ address(Billing)
    ContractTerm int
    OwnerId ref(User) dflt
    Status picklist[Draft|In Approval Process|Activated]
    StatusCode picklist[Draft|InApproval|Activated|Terminated|Expired] ro
    CompanySignedId ref(User)
    CompanySignedDate date
    CustomerSignedId ref(Contact)
    CustomerSignedTitle string(40)
    CustomerSignedDate date
    SpecialTerms textarea(4000) nofilter nosort
    ActivatedById ref(User)
    ActivatedDate datetime
    ContractNumber string(30) ro name
    Description textarea(32000)`,
  },
  {
    name: 'ContractTag',
    keyPrefix: '0tE',
    labelPlural: 'Contract Tags',
    system: 'createdStamp',
    fields: TAG('Contract'),
  },
  {
    name: 'Dashboard',
    keyPrefix: '01Z',
    labelPlural: 'Dashboards',
    fields: `
    FolderId ref(Folder)
    Title string(80) name
    DeveloperName string(80)
    Description string(255)
    LeftSize picklist[Narrow|Medium|Wide]
    MiddleSize picklist[Narrow|Medium|Wide]
    RightSize picklist[Narrow|Medium|Wide]
    RunningUserId ref(User)
    TitleColor int
    TitleSize int
    Type picklist[SpecifiedUser|LoggedInUser|MyTeamUser]
    LastViewedDate datetime ro`,
  },
  {
    name: 'DashboardTag',
    keyPrefix: '0tF',
    labelPlural: 'Dashboard Tags',
    system: 'createdStamp',
    fields: TAG('Dashboard'),
  },
  {
    name: 'Document',
    keyPrefix: '015',
    labelPlural: 'Documents',
    fields: `
    FolderId ref(Folder|User)
    Name string(255) name
    DeveloperName string(80)
    ContentType string(120)
    Type string(40)
    IsPublic boolean
    BodyLength int ro
    Body base64
    Url url
    Description textarea(255)
    Keywords string(255)
    IsInternalUseOnly boolean
    AuthorId ref(User)`,
  },
  {
    name: 'DocumentTag',
    keyPrefix: '0tG',
    labelPlural: 'Document Tags',
    system: 'createdStamp',
    fields: TAG('Document'),
  },
  {
    name: 'Event',
    keyPrefix: '00U',
    labelPlural: 'Events',
    // A timed event needs a start and a length (ActivityDateTime or StartDateTime, DurationInMinutes or
    // EndDateTime); an all-day one needs neither, which is why describe calls both nillable.
    createRequires: [
      { field: 'ActivityDateTime', or: ['StartDateTime'], unlessTrue: 'IsAllDayEvent' },
      { field: 'DurationInMinutes', or: ['EndDateTime'], unlessTrue: 'IsAllDayEvent' },
    ],
    fields: `
    WhoId ref(Contact|Lead)
    WhatId ref(Account|Campaign|Case|Contract|Opportunity|Order|Product2|Solution)
    Subject combobox(255) name
    Location string(255)
    IsAllDayEvent boolean
    ActivityDateTime datetime
    ActivityDate date
    DurationInMinutes int
    StartDateTime datetime
    EndDateTime datetime
    Description textarea(32000)
    AccountId ref(Account) ro
    OwnerId ref(Calendar|User) dflt
    ShowAs picklist[Busy|OutOfOffice|Free] len="40"
    IsPrivate boolean
    IsReminderSet boolean
    ReminderDateTime datetime`,
  },
  { name: 'EventTag', keyPrefix: '0tH', labelPlural: 'Event Tags', system: 'createdStamp', fields: TAG('Event') },
  {
    name: 'Group',
    keyPrefix: '00G',
    labelPlural: 'Groups',
    fields: `
    Name string(40) name
    DeveloperName string(80)
    RelatedId ref(User|UserRole)
    Type picklist[Regular|Role|RoleAndSubordinates|Queue|Organization]
    Email email
    OwnerId ref(User)
    DoesSendEmailToMembers boolean
    DoesIncludeBosses boolean`,
  },
  {
    name: 'Lead',
    keyPrefix: '00Q',
    labelPlural: 'Leads',
    fields: `
    LastName string(80) req
    FirstName string(40)
    Salutation picklist[Mr.|Ms.|Mrs.|Dr.|Prof.] len="40"
    Name string(121) name ro
    Title string(128)
    Company string(255) req
    _ address()
    Phone phone
    MobilePhone phone
    Email email idlookup
    Website url
    Description textarea(32000)
    LeadSource ${LEAD_SOURCE}
    Status picklist[Open - Not Contacted|Working - Contacted|Closed - Converted|Closed - Not Converted] dflt
    Industry ${INDUSTRY}
    Rating picklist[Hot|Warm|Cold]
    AnnualRevenue currency(18,0)
    NumberOfEmployees int
    OwnerId ref(User|Group) dflt
    IsConverted boolean createonly
    ConvertedDate date ro
    ConvertedAccountId ref(Account) ro
    ConvertedContactId ref(Contact) ro
    ConvertedOpportunityId ref(Opportunity) ro
    IsUnreadByOwner boolean
    HasOptedOutOfEmail boolean
    Lead_Score__c double
    MasterRecordId ref(Lead) ro
    LastActivityDate date ro
    LastViewedDate datetime ro
    LastReferencedDate datetime ro
    RecordTypeId ref(RecordType)
    CurrencyIsoCode picklist[] len="3"
    Division ref(Division)
    MiddleName string(40)
    Suffix string(40)
    StateCode picklist[] len="10"
    CountryCode picklist[] len="10"
    Fax phone
    PhotoUrl url ro
    HasOptedOutOfFax boolean
    DoNotCall boolean
    EmailBouncedReason string(255) updateonly
    EmailBouncedDate datetime updateonly
    IndividualId ref(Individual)
    Jigsaw string(20)
    JigsawContactId string(20) ro
    CleanStatus picklist[] len="40"
    CompanyDunsNumber string(9)
    DandbCompanyId ref(DandBCompany)`,
  },
  { name: 'LeadTag', keyPrefix: '0tI', labelPlural: 'Lead Tags', system: 'createdStamp', fields: TAG('Lead') },
  {
    name: 'Name',
    keyPrefix: '',
    labelPlural: 'Names',
    system: 'none',
    queryable: false,
    fields: `
    Name string(255) name
    LastName string(80)
    FirstName string(40)
    Type picklist[User|Queue|Group]
    Alias string(8)
    UserRoleId ref(UserRole)
    IsActive boolean
    ProfileId ref(Profile)
    Title string(80)
    Email email
    Phone phone
    Username string(80)`,
  },
  {
    name: 'Note',
    keyPrefix: '002',
    labelPlural: 'Notes',
    fields: `
    ParentId ref(Account|Contact|Contract|Opportunity|Lead) createonly req
    Title string(80) name req
    IsPrivate boolean
    Body textarea(32000)
    OwnerId ref(User) dflt`,
  },
  { name: 'NoteTag', keyPrefix: '0tJ', labelPlural: 'Note Tags', system: 'createdStamp', fields: TAG('Note') },
  {
    name: 'Opportunity',
    keyPrefix: '006',
    labelPlural: 'Opportunities',
    fields: `
    AccountId ref(Account)
    Name string(120) name req idlookup
    Description textarea(32000)
    StageName picklist[Prospecting|Qualification|Needs Analysis|Value Proposition|Id. Decision Makers|Perception Analysis|Proposal/Price Quote|Negotiation/Review|Closed Won|Closed Lost] req
    Amount currency
    Probability percent(3,0)
    ExpectedRevenue currency ro
    TotalOpportunityQuantity double
    CloseDate date req
    Type picklist[Existing Customer - Upgrade|Existing Customer - Replacement|Existing Customer - Downgrade|New Customer]
    NextStep string(255)
    LeadSource ${LEAD_SOURCE}
    IsClosed boolean ro
    IsWon boolean ro
    ForecastCategory picklist[Omitted|Pipeline|BestCase|Forecast|Closed] ro len="40"
    ForecastCategoryName picklist[Omitted|Pipeline|Best Case|Commit|Closed]
    CampaignId ref(Campaign)
    HasOpportunityLineItem boolean ro
    Pricebook2Id ref(Pricebook2)
    OwnerId ref(User) dflt
    FiscalQuarter int ro
    FiscalYear int ro
    Weighted_Amount__c currency calc="Amount * Probability / 100"
    LastActivityDate date ro
    LastViewedDate datetime ro
    LastReferencedDate datetime ro
    RecordTypeId ref(RecordType)
    CurrencyIsoCode picklist[] len="3"
    Division ref(Division)
    ContactId ref(Contact) createonly
    IsPrivate boolean
    HasOpenActivity boolean ro
    HasOverdueTask boolean ro
    PushCount int ro
    LastStageChangeDate datetime ro
    LastAmountChangedHistoryId ref(OpportunityHistory) ro
    LastCloseDateChangedHistoryId ref(OpportunityHistory) ro
    Fiscal string(6) ro`,
  },
  {
    name: 'OpportunityCompetitor',
    keyPrefix: '00J',
    labelPlural: 'Opportunity Competitors',
    fields: `
    OpportunityId ref(Opportunity) createonly req
    CompetitorName string(40)
    Strengths string(1000)
    Weaknesses string(1000)`,
  },
  {
    name: 'OpportunityContactRole',
    keyPrefix: '00K',
    labelPlural: 'Opportunity Contact Role',
    fields: `
    OpportunityId ref(Opportunity) createonly req
    ContactId ref(Contact) req
    Role picklist[Business User|Decision Maker|Economic Buyer|Economic Decision Maker|Evaluator|Executive Sponsor|Influencer|Technical Buyer|Other] len="40"
    IsPrimary boolean`,
  },
  {
    name: 'OpportunityFieldHistory',
    keyPrefix: '008',
    labelPlural: 'Opportunity Field History',
    system: 'created',
    fields: `
    OpportunityId ref(Opportunity)
    Field picklist[Amount|CloseDate|StageName|Probability|Owner|created]
    DataType picklist[Text|Currency|Date|Percent|EntityId]
    OldValue anyType
    NewValue anyType`,
  },
  {
    name: 'OpportunityLineItem',
    keyPrefix: '00k',
    labelPlural: 'Opportunity Product',
    fields: `
    OpportunityId ref(Opportunity) createonly req
    SortOrder int
    PricebookEntryId ref(PricebookEntry) createonly
    Product2Id ref(Product2) createonly
    ProductCode string(255) ro
    Name string(376) ro name
    Quantity double req
    TotalPrice currency
    UnitPrice currency
    ListPrice currency ro
    ServiceDate date
    Description string(255)
    Discount percent
    Subtotal currency ro`,
  },
  {
    name: 'OpportunityLineItemSchedule',
    keyPrefix: '00o',
    labelPlural: 'Opportunity Product Schedules',
    fields: `
    OpportunityLineItemId ref(OpportunityLineItem)
    Type picklist[Quantity|Revenue|Both]
    Revenue currency
    Quantity double
    Description string(255)
    ScheduleDate date`,
  },
  {
    name: 'OpportunityStage',
    keyPrefix: '01J',
    labelPlural: 'Opportunity Stages',
    fields: `
    MasterLabel string(255) name
    ApiName string(255)
    IsActive boolean
    SortOrder int
    IsClosed boolean
    IsWon boolean
    ForecastCategory picklist[Omitted|Pipeline|BestCase|Forecast|Closed]
    ForecastCategoryName picklist[Omitted|Pipeline|Best Case|Commit|Closed]
    DefaultProbability percent
    Description string(255)`,
  },
  {
    name: 'OpportunityTag',
    keyPrefix: '0tK',
    labelPlural: 'Opportunity Tags',
    system: 'createdStamp',
    fields: TAG('Opportunity'),
  },
  {
    name: 'Period',
    keyPrefix: '026',
    labelPlural: 'Periods',
    system: 'stamp',
    fields: `
    FiscalYearSettingsId ref(FiscalYearSettings)
    Type picklist[Month|Quarter|Week|Year]
    StartDate date
    EndDate date
    IsForecastPeriod boolean
    QuarterLabel picklist[Q1|Q2|Q3|Q4]
    PeriodLabel picklist[Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec]
    Number int
    FullyQualifiedLabel string(255) ro`,
  },
  {
    name: 'Pricebook2',
    keyPrefix: '01s',
    labelPlural: 'Price Books',
    fields: `
    Name string(255) name req
    IsActive boolean
    IsArchived boolean ro
    Description string(255)
    IsStandard boolean ro`,
  },
  {
    name: 'PricebookEntry',
    keyPrefix: '01u',
    labelPlural: 'Price Book Entries',
    fields: `
    Name string(255) ro name
    Pricebook2Id ref(Pricebook2) createonly req
    Product2Id ref(Product2) createonly req
    UnitPrice currency req
    IsActive boolean
    UseStandardPrice boolean
    ProductCode string(255) ro
    IsArchived boolean ro`,
  },
  {
    name: 'Product2',
    keyPrefix: '01t',
    labelPlural: 'Products',
    fields: `
    Name string(255) name req
    ProductCode string(255)
    Description textarea(4000) nofilter nosort
    IsActive boolean
    Family picklist[Hardware|Software|Services|Support]
    ExternalId string(255) ext
    QuantityUnitOfMeasure picklist[Each|Hour|Seat|License]
    DisplayUrl url
    StockKeepingUnit string(180)
    IsArchived boolean ro`,
  },
  {
    name: 'Profile',
    keyPrefix: '00e',
    labelPlural: 'Profiles',
    fields: `
    Name string(255) name
    PermissionsApiEnabled boolean
    PermissionsViewAllData boolean
    PermissionsModifyAllData boolean
    UserLicenseId ref(UserLicense)
    UserType picklist[Standard|PowerPartner|CsnOnly|Guest] ro
    Description string(255)`,
  },
  {
    name: 'Solution',
    keyPrefix: '501',
    labelPlural: 'Solutions',
    fields: `
    SolutionNumber string(30) ro
    SolutionName string(255) name req
    IsPublished boolean
    IsPublishedInPublicKb boolean
    Status picklist[Draft|Reviewed|Duplicate] dflt
    IsReviewed boolean ro
    SolutionNote textarea(32000)
    OwnerId ref(User) dflt
    TimesUsed int ro
    IsHtml boolean ro`,
  },
  {
    name: 'SolutionTag',
    keyPrefix: '0tL',
    labelPlural: 'Solution Tags',
    system: 'createdStamp',
    fields: TAG('Solution'),
  },
  {
    name: 'Task',
    keyPrefix: '00T',
    labelPlural: 'Tasks',
    fields: `
    WhoId ref(Contact|Lead)
    WhatId ref(Account|Opportunity|Campaign|Case|Contract)
    Subject combobox(255) name
    ActivityDate date
    Status picklist[Not Started|In Progress|Completed|Waiting on someone else|Deferred] dflt
    Priority picklist[High|Normal|Low] dflt
    IsHighPriority boolean ro
    OwnerId ref(User|Group) dflt
    Description textarea(32000)
    Type picklist[Call|Email|Meeting|Other]
    IsClosed boolean ro
    AccountId ref(Account) ro
    IsReminderSet boolean
    ReminderDateTime datetime
    CallDurationInSeconds int
    CallType picklist[Internal|Inbound|Outbound]
    CallDisposition string(255)
    TaskSubtype picklist[Task|Email|Call]
    CompletedDateTime datetime ro`,
  },
  { name: 'TaskTag', keyPrefix: '0tM', labelPlural: 'Task Tags', system: 'createdStamp', fields: TAG('Task') },
  {
    name: 'User',
    keyPrefix: '005',
    labelPlural: 'Users',
    fields: `
    Username string(80) ext unique
    LastName string(80)
    FirstName string(40)
    Name string(121) ro name
    CompanyName string(80)
    Division string(80)
    Department string(80)
    Title string(80)
    _ address()
    Email email
    Phone phone
    MobilePhone phone
    Alias string(8)
    CommunityNickname string(40)
    IsActive boolean
    TimeZoneSidKey picklist[America/Los_Angeles|America/New_York|Europe/London|Europe/Paris|Asia/Tokyo]
    UserRoleId ref(UserRole)
    LocaleSidKey picklist[en_US|en_GB|fr_FR|de_DE|ja_JP]
    EmailEncodingKey picklist[UTF-8|ISO-8859-1]
    ProfileId ref(Profile)
    UserType picklist[Standard|PowerPartner|CsnOnly|Guest] ro
    LanguageLocaleKey picklist[en_US|fr|de|ja]
    EmployeeNumber string(20)
    ManagerId ref(User)
    LastLoginDate datetime ro
    FederationIdentifier string(512) ext
    AboutMe textarea(1000)`,
  },
  {
    name: 'UserLogin',
    keyPrefix: '060',
    labelPlural: 'User Logins',
    system: 'modified',
    fields: `
    UserId ref(User)
    IsFrozen boolean
    IsPasswordLocked boolean`,
  },
  {
    name: 'UserRole',
    keyPrefix: '00E',
    labelPlural: 'Roles',
    system: 'modifiedStamp',
    fields: `
    Name string(80) name
    ParentRoleId ref(UserRole)
    RollupDescription string(80)
    OpportunityAccessForAccountOwner picklist[None|Read|Edit]
    CaseAccessForAccountOwner picklist[None|Read|Edit]
    ContactAccessForAccountOwner picklist[None|Read|Edit]
    ForecastUserId ref(User)
    MayForecastManagerShare boolean
    DeveloperName string(80)
    PortalType picklist[None|CustomerPortal|Partner]`,
  },
  {
    name: 'Invoice__c',
    keyPrefix: 'a01',
    labelPlural: 'Invoices',
    fields: `
    Name string(80) name
    OwnerId ref(User|Group)
    Account__c ref(Account)
    Amount__c currency
    Status__c picklist[Draft|Sent|Paid|Void]
    Issued_On__c date
    Paid_On__c date
    Notes__c textarea(32000)`,
  },
  {
    name: 'Order',
    keyPrefix: '801',
    labelPlural: 'Orders',
    fields: `
    OwnerId ref(User|Group) dflt
    ContractId ref(Contract)
    AccountId ref(Account) req
    Pricebook2Id ref(Pricebook2)
    OriginalOrderId ref(Order)
    EffectiveDate date req
    EndDate date
    IsReductionOrder boolean
    Status picklist[Draft|Activated] req len="40"
    Description textarea(32000)
    CustomerAuthorizedById ref(Contact)
    CustomerAuthorizedDate date
    CompanyAuthorizedById ref(User)
    CompanyAuthorizedDate date
    Type picklist[]
    _ address(Billing)
    _ address(Shipping)
    Name string(80)
    PoDate date
    PoNumber string(80)
    OrderReferenceNumber string(80)
    BillToContactId ref(Contact)
    ShipToContactId ref(Contact)
    ActivatedDate datetime updateonly
    ActivatedById ref(User) updateonly
    StatusCode picklist[Draft|Activated] ro len="40"
    OrderNumber string(30) ro
    TotalAmount currency ro`,
  },
];

/** The org's objects, parsed and with their audit fields; built fresh for each caller (it is mutable). */
export function sourceObjects(): ObjectMetadata[] {
  return OBJECTS.map((o) => {
    const fields: Record<string, FieldMetadata> = {};
    if (o.keyPrefix !== '' || o.name === 'Name') fields.Id = { name: 'Id', type: 'id', readOnly: true, idLookup: true };
    for (const f of parseFieldSpec(o.fields, o.name)) fields[f.name] = f;
    for (const name of SYSTEM[o.system ?? 'full'].split(' ').filter((n) => n !== ''))
      fields[name] = { ...SYSTEM_FIELDS[name] };
    return {
      name: o.name,
      label: labelOf(o.name),
      labelPlural: o.labelPlural,
      keyPrefix: o.keyPrefix,
      ...(o.queryable === false ? { queryable: false, replicateable: false } : {}),
      ...(o.createRequires ? { createRequires: o.createRequires } : {}),
      fields,
    };
  });
}
