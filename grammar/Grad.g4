// The gradc language (SPEC §1). Keywords that introduce statements are reserved; the names
// inside train blocks, initializers and layer functions are ordinary identifiers that the
// checker validates, so their errors can name the offending word.
grammar Grad;

program   : item* EOF ;
item      : defDecl | modelDecl ;

defDecl   : DEF name=ID '(' (ID (',' ID)*)? ')' '=' expr gradRule? ';'? ;
// The def's own vector-Jacobian product: the names of its result and of the result's adjoint,
// then one expression per parameter, in order. 'grad' is not reserved: it stays usable as a name.
gradRule  : {getCurrentToken().getText().equals("grad")}? kw=ID
            '(' result=ID ',' cotangent=ID ')' '=' expr (',' expr)* ;
modelDecl : MODEL name=ID '{' statement* '}' ;

statement : ( dataDecl | paramDecl | constDecl | layerDecl | outputDecl | lossDecl | trainBlock
            | assign ) ';'?
          ;

dataDecl   : kind=(INPUT | TARGET) name=ID dims? ;
paramDecl  : PARAM name=ID dims? ('=' init)? ;
constDecl  : CONST name=ID dims? '=' init ;
layerDecl  : LAYER name=ID '=' fn=ID '(' layerArg (',' layerArg)* ')' ;
layerArg   : (key=ID '=')? expr ;
outputDecl : OUTPUT ID (',' ID)* ;
lossDecl   : LOSS expr ;
trainBlock : TRAIN '{' (trainItem ';'?)* '}' ;
assign     : name=ID '=' expr ;

dims      : '[' NUMBER (',' NUMBER)* ']' ;

init      : literal                                               #initLiteral
          | name=ID '(' (signed (',' signed)*)? ')'               #initCall
          | name=ID                                               #initNamed
          ;
literal   : signed                                                #literalNumber
          | '[' (literal (',' literal)*)? ']'                     #literalArray
          ;
signed    : '-'? NUMBER ;

trainItem : key=ID name=ID ('(' (option (',' option)*)? ')')?      #trainOptimizer
          | key=ID signed                                         #trainSetting
          ;
option    : name=ID '=' signed ;

// Loosest to tightest: + - ; * / @ ; unary - ; ^ (right) ; postfix .T, .W and [i].
expr      : expr '.' field=ID                                     #member
          | expr '[' index=NUMBER ']'                             #index
          | <assoc = right> expr op='^' expr                      #power
          | '-' expr                                              #negate
          | expr op=('*' | '/' | '@') expr                        #multiplicative
          | expr op=('+' | '-') expr                              #additive
          | fn=ID '(' (expr (',' expr)*)? ')'                     #call
          | ID                                                    #name
          | NUMBER                                                #number
          | '(' expr ')'                                          #parens
          ;

DEF    : 'def' ;
MODEL  : 'model' ;
INPUT  : 'input' ;
TARGET : 'target' ;
PARAM  : 'param' ;
CONST  : 'const' ;
LAYER  : 'layer' ;
OUTPUT : 'output' ;
LOSS   : 'loss' ;
TRAIN  : 'train' ;

ID     : [A-Za-z_] [A-Za-z0-9_]* ;
NUMBER : DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT? ;
// Lexemes that look like numbers but are not, so the error can say "malformed number".
BAD_NUMBER : DIGITS ('.' DIGITS?)? [eE] [+-]?
           | (DIGITS ('.' DIGITS?)? | '.' DIGITS) EXPONENT? '.' [0-9.]*
           ;
fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
// Non-greedy up to the first "*/" or the end of input; one that reaches the end unclosed is
// reported by the parser front end as an unterminated comment.
BLOCK_COMMENT : '/*' .*? ('*/' | EOF) -> channel(HIDDEN) ;
WS            : [ \t\r\n\f]+ -> skip ;
// Anything else becomes a token the front end reports as an unexpected character.
UNKNOWN_CHAR  : . ;
